package dev.flyform.engine.state;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What the state keeps instead of a secret value: an HMAC-SHA256 under a key of its own, so
 * a change of value is seen without the value ever being written, and the digest alone does
 * not let anyone test guesses without the key.
 */
public final class SecretDigest {

    public static final String PREFIX = "hmac-sha256:";

    /**
     * Recorded for a sensitive value flyform has never seen (imported, when the value was not
     * given): the first value declared for it is taken as what it holds, as adoption does, and
     * recorded (as a digest) with no change planned.
     */
    public static final String UNSEEN = "(value never seen by flyform)";

    private SecretDigest() {
    }

    public static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    public static boolean isDigest(Object value) {
        return value instanceof String s && s.startsWith(PREFIX);
    }

    public static String of(String keyHex, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(keyHex), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
