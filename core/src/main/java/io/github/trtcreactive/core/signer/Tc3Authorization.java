package io.github.trtcreactive.core.signer;

import java.util.Optional;

/**
 * The parts of a received TC3 Authorization header, for a server that verifies signatures.
 *
 * @param secretId the SecretId of the credential
 * @param date the date of the credential scope
 * @param service the service of the credential scope
 * @param signedHeaders the signed header names, {@code ;}-separated
 * @param signature the hex signature
 */
public record Tc3Authorization(String secretId, String date, String service, String signedHeaders,
        String signature) {

    /**
     * Parses {@code TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=..., Signature=...}.
     *
     * @param header the header value, may be {@code null}
     * @return the parts, or empty when the header is absent or malformed
     */
    public static Optional<Tc3Authorization> parse(String header) {
        if (header == null || !header.startsWith(Tc3Signer.ALGORITHM + " ")) {
            return Optional.empty();
        }
        String credential = null;
        String signed = null;
        String signature = null;
        for (String part : header.substring(Tc3Signer.ALGORITHM.length() + 1).split(",")) {
            String p = part.strip();
            if (p.startsWith("Credential=")) {
                credential = p.substring("Credential=".length());
            } else if (p.startsWith("SignedHeaders=")) {
                signed = p.substring("SignedHeaders=".length());
            } else if (p.startsWith("Signature=")) {
                signature = p.substring("Signature=".length());
            }
        }
        if (credential == null || signed == null || signature == null) {
            return Optional.empty();
        }
        String[] scope = credential.split("/");
        if (scope.length != 4 || !"tc3_request".equals(scope[3])) {
            return Optional.empty();
        }
        return Optional.of(new Tc3Authorization(scope[0], scope[1], scope[2], signed, signature));
    }

    /** Leaves the signature out. */
    @Override
    public String toString() {
        return "Tc3Authorization{secretId=" + secretId + ", date=" + date + ", service=" + service
                + ", signedHeaders=" + signedHeaders + ", signature=***}";
    }
}
