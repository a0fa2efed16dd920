package io.github.trtcreactive.reactor.auth;

import io.github.trtcreactive.core.auth.CredentialsNotFoundException;
import io.github.trtcreactive.core.auth.CredentialsProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials a client uses when none are given, chosen once, when it is built:
 * <ol>
 *   <li>the environment ({@code TENCENTCLOUD_SECRET_ID}, {@code TENCENTCLOUD_SECRET_KEY},
 *       {@code TENCENTCLOUD_SESSION_TOKEN});</li>
 *   <li>the profile file ({@code ~/.tencentcloud/credentials}, the section
 *       {@code TENCENTCLOUD_PROFILE} names, else {@code default});</li>
 *   <li>either of those, used to assume the role {@code TENCENTCLOUD_ROLE_ARN} names when it is set
 *       (STS {@code AssumeRole}, session {@code TENCENTCLOUD_ROLE_SESSION_NAME}, default
 *       {@code trtc-reactive});</li>
 *   <li>OIDC on TKE, when the four {@code TKE_*} variables are set
 *       ({@link WebIdentityCredentialsProvider});</li>
 *   <li>the CVM instance's role ({@link CvmRoleCredentialsProvider}), when
 *       {@code TENCENTCLOUD_CVM_ROLE} names it (or says {@code auto}) or the machine's DMI vendor is
 *       Tencent Cloud.</li>
 * </ol>
 * When none applies, the {@link CredentialsNotFoundException} lists every source and why it gave
 * nothing. The role sources are fetched when a call first needs them, not when the client is built.
 */
public final class DefaultCredentialsChain {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultCredentialsChain.class);
    private static final Path DMI = Path.of("/sys/class/dmi/id");

    private DefaultCredentialsChain() {}

    /**
     * Chooses the credentials from the process environment.
     *
     * @return the provider the chain chose
     * @throws CredentialsNotFoundException listing every source and why it gave nothing
     */
    public static ReactiveCredentialsProvider create() {
        return create(System::getenv);
    }

    /**
     * Chooses the credentials from another environment (for tests and embedding).
     *
     * @param environment looks a variable up; null when unset
     * @return the provider the chain chose
     * @throws CredentialsNotFoundException listing every source and why it gave nothing
     */
    public static ReactiveCredentialsProvider create(UnaryOperator<String> environment) {
        return create(environment, DMI);
    }

    static ReactiveCredentialsProvider create(UnaryOperator<String> environment, Path dmi) {
        Objects.requireNonNull(environment, "environment");
        List<String> reasons = new ArrayList<>();
        CredentialsProvider keys = null;
        for (CredentialsProvider p : List.of(CredentialsProvider.environment(environment),
                CredentialsProvider.profileFile(environment))) {
            if (p.findCredentials().isPresent()) {
                keys = p;
                break;
            }
            try {
                p.resolveCredentials();
            } catch (CredentialsNotFoundException e) {
                reasons.add(e.getMessage());
            }
        }
        String roleArn = value(environment, "TENCENTCLOUD_ROLE_ARN");
        if (keys != null) {
            ReactiveCredentialsProvider found = ReactiveCredentialsProvider.of(keys);
            if (roleArn == null) {
                return found;
            }
            String session = value(environment, "TENCENTCLOUD_ROLE_SESSION_NAME");
            StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder().source(found)
                    .roleArn(roleArn).roleSessionName(session == null ? "trtc-reactive" : session)
                    .region(regionOr(environment)).build();
            LOG.info("credentials: {} assumes {} (TENCENTCLOUD_ROLE_ARN)", keys, roleArn);
            return assumed;
        }
        reasons.add("assuming a role (TENCENTCLOUD_ROLE_ARN) needs credentials of the two sources above");
        try {
            WebIdentityCredentialsProvider oidc = WebIdentityCredentialsProvider.fromTkeEnvironment(environment).build();
            LOG.info("credentials: {} (TKE OIDC)", oidc);
            return oidc;
        } catch (IllegalStateException | IllegalArgumentException e) {
            reasons.add("TKE OIDC: " + e.getMessage());
        }
        String cvmRole = value(environment, "TENCENTCLOUD_CVM_ROLE");
        String vendor = dmiVendor(dmi);
        if (cvmRole != null || vendor.contains("Tencent")) {
            CvmRoleCredentialsProvider cvm = CvmRoleCredentialsProvider.builder()
                    .roleName(cvmRole == null || cvmRole.equalsIgnoreCase("auto") ? null : cvmRole).build();
            LOG.info("credentials: {} ({})", cvm, cvmRole != null ? "TENCENTCLOUD_CVM_ROLE" : "a Tencent Cloud instance");
            return cvm;
        }
        reasons.add("CVM role: TENCENTCLOUD_CVM_ROLE is not set and this is not a Tencent Cloud instance ("
                + (vendor.isEmpty() ? "no DMI vendor" : "DMI vendor " + vendor) + ")");
        throw new CredentialsNotFoundException("No TRTC credentials found. Tried, in order: " + String.join("; ", reasons)
                + ". Set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or pass credentials to the builder.");
    }

    private static String value(UnaryOperator<String> environment, String name) {
        String v = environment.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static String regionOr(UnaryOperator<String> environment) {
        String region = value(environment, "TENCENTCLOUD_REGION");
        return region == null ? "ap-guangzhou" : region;
    }

    /** The machine's vendor and product as DMI states them; empty when it does not (not Linux, a container). */
    private static String dmiVendor(Path dmi) {
        StringBuilder b = new StringBuilder();
        for (String file : List.of("sys_vendor", "product_name")) {
            try {
                String text = Files.readString(dmi.resolve(file), StandardCharsets.UTF_8).strip();
                if (!text.isEmpty()) {
                    b.append(b.length() == 0 ? "" : " / ").append(text);
                }
            } catch (IOException | SecurityException e) {
                // absent or unreadable: nothing said
            }
        }
        return b.toString();
    }
}
