package dev.flyform.provider.fly;

import java.util.ArrayList;
import java.util.List;

/**
 * A Fly API token, held so that it can only leave the process in an Authorization header:
 * {@link #toString()} is redacted. Macaroon tokens ({@code fm1r_}, {@code fm1a_}, {@code fm2_})
 * use the {@code FlyV1} scheme, anything else {@code Bearer}, as Fly's own clients do.
 */
public final class FlyToken {

    private final List<String> macaroons;
    private final List<String> others;

    private FlyToken(List<String> macaroons, List<String> others) {
        this.macaroons = List.copyOf(macaroons);
        this.others = List.copyOf(others);
    }

    /** Parses what a user or config file holds; a leading {@code FlyV1 } or {@code Bearer } is allowed. */
    public static FlyToken parse(String raw) {
        String value = raw.strip();
        if (value.regionMatches(true, 0, "FlyV1 ", 0, 6)) {
            value = value.substring(6).strip();
        } else if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).strip();
        }
        List<String> macaroons = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String part : value.split(",")) {
            String t = part.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("fm1r_") || t.startsWith("fm1a_") || t.startsWith("fm2_")) {
                macaroons.add(t);
            } else {
                others.add(t);
            }
        }
        if (macaroons.isEmpty() && others.isEmpty()) {
            throw new IllegalArgumentException("the Fly API token is empty");
        }
        return new FlyToken(macaroons, others);
    }

    /** The header value for the Machines REST API: macaroons only, when there are any. */
    public String restAuthorization() {
        if (!macaroons.isEmpty()) {
            return "FlyV1 " + String.join(",", macaroons);
        }
        return "Bearer " + others.get(0);
    }

    /** The header value for GraphQL: macaroons and user tokens together. */
    public String graphqlAuthorization() {
        if (macaroons.isEmpty()) {
            return "Bearer " + others.get(0);
        }
        List<String> all = new ArrayList<>(macaroons);
        all.addAll(others);
        return "FlyV1 " + String.join(",", all);
    }

    @Override
    public String toString() {
        return "FlyToken[redacted]";
    }
}
