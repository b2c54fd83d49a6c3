package dev.flyform.emulator;

/** An answer other than success, sent as Fly does: {@code {"error": ..., "status": ...}}. */
final class ApiError extends RuntimeException {

    final int httpStatus;
    final String code;

    ApiError(int httpStatus, String message, String code) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    ApiError(int httpStatus, String message) {
        this(httpStatus, message, null);
    }
}
