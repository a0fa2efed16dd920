package io.github.trtcreactive.core.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads one section of an INI credentials file ({@code secret_id}, {@code secret_key}, optional
 * {@code token}). The file is read once, on the first call, and the outcome is kept.
 */
final class ProfileCredentialsProvider implements CredentialsProvider {

    private final Path file;
    private final String profile;
    private volatile Object outcome; // Credentials or CredentialsNotFoundException, once read

    ProfileCredentialsProvider(Path file, String profile) {
        this.file = Objects.requireNonNull(file, "file");
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    @Override
    public Credentials resolveCredentials() {
        Object result = outcome;
        if (result == null) {
            result = read();
            outcome = result;
        }
        if (result instanceof CredentialsNotFoundException missing) {
            throw new CredentialsNotFoundException(missing.getMessage());
        }
        return (Credentials) result;
    }

    private Object read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new CredentialsNotFoundException(this + ": the file does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> section = section(lines);
        if (section == null) {
            return new CredentialsNotFoundException(this + ": no [" + profile + "] section");
        }
        String id = section.get("secret_id");
        String key = section.get("secret_key");
        if (id == null || key == null) {
            return new CredentialsNotFoundException(
                    this + ": [" + profile + "] has no " + (id == null ? "secret_id" : "secret_key"));
        }
        String token = section.get("token");
        return token == null ? Credentials.of(id, key) : Credentials.of(id, key, token);
    }

    /**
     * The keys of the wanted section, INI as people write it: a UTF-8 byte order mark, comment lines
     * ({@code #}, {@code ;}), comments after a value (preceded by a space), and values in single or
     * double quotes are all understood; keys are case-insensitive.
     */
    private Map<String, String> section(List<String> lines) {
        Map<String, String> values = null;
        String current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                current = close < 0 ? null : line.substring(1, close).strip();
                if (profile.equals(current) && values == null) {
                    values = new HashMap<>();
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (profile.equals(current) && eq > 0) {
                String value = unquote(withoutComment(line.substring(eq + 1).strip()));
                if (!value.isEmpty()) {
                    values.put(line.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT), value);
                }
            }
        }
        return values;
    }

    /** Cuts an inline comment: a {@code #} or {@code ;} after whitespace, outside quotes. */
    private static String withoutComment(String value) {
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if ((c == '"' || c == '\'') && i == 0) {
                quote = c;
            } else if ((c == '#' || c == ';') && i > 0 && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i).strip();
            }
        }
        return value;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1).strip();
        }
        return value;
    }

    @Override
    public String toString() {
        return "profile [" + profile + "] of " + file;
    }
}
