package dev.flyform.provider.fly.internal;

/**
 * The Fly API answered with an error. {@code code} is Fly's machine-readable {@code status}
 * (such as {@code name_taken}) when it sent one. Never carries request headers.
 */
public final class FlyApiException extends RuntimeException {

    private final int httpStatus;
    private final String code;
    private final String requestId;
    private String retryAfter;

    public FlyApiException(int httpStatus, String code, String message, String requestId) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
        this.requestId = requestId;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public String requestId() {
        return requestId;
    }

    /** The same, with Fly's Retry-After (seconds) when it sent one. */
    FlyApiException waitingFor(String retryAfter) {
        this.retryAfter = retryAfter;
        return this;
    }

    /**
     * What the status means for the user, beside Fly's own words: which token a call needs, whose
     * a name is, how long to wait.
     */
    String meaning() {
        return switch (httpStatus) {
            case 401 -> "Fly refused the token (FLY_API_TOKEN, else flyctl's login). Creating or deleting apps needs an "
                    + "organization's token (fly tokens create org) or a user's; a deploy token (fly tokens create deploy) "
                    + "reaches only its own app.";
            case 403 -> "Not allowed with this token: the object belongs to an organization it cannot reach (app names "
                    + "are global across Fly: another organization may hold this one).";
            case 404 -> "Fly has no such object, or this token cannot see it.";
            case 422 -> "Fly refused the request as invalid (its words above).";
            case 429 -> "Fly's rate limit: flyform waited and retried already. Wait "
                    + (retryAfter == null ? "a little" : retryAfter + " s (Retry-After)") + " and apply again; nothing was lost.";
            default -> null;
        };
    }

    /** "422 name_taken: Validation failed: ... (request 01...)". */
    public String describe() {
        StringBuilder out = new StringBuilder().append(httpStatus);
        if (code != null && !code.isBlank()) {
            out.append(' ').append(code);
        }
        out.append(": ").append(getMessage());
        if (requestId != null) {
            out.append(" (fly-request-id ").append(requestId).append(')');
        }
        String meaning = meaning();
        if (meaning != null) {
            out.append(". ").append(meaning);
        }
        return out.toString();
    }
}
