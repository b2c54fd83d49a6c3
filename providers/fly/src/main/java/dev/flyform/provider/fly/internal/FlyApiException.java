package dev.flyform.provider.fly.internal;

/**
 * The Fly API answered with an error. {@code code} is Fly's machine-readable {@code status}
 * (such as {@code name_taken}) when it sent one. Never carries request headers.
 */
public final class FlyApiException extends RuntimeException {

    private final int httpStatus;
    private final String code;
    private final String requestId;

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
        return out.toString();
    }
}
