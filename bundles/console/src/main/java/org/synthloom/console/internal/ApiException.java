package org.synthloom.console.internal;

import java.util.List;

/**
 * A request the console refuses, with the HTTP status that says why (4xx: the caller's fault, with
 * a message naming what was wrong and where; 409: the platform's state does not allow it now).
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> details;

    /**
     * @param status the HTTP status
     * @param message what was wrong
     */
    ApiException(int status, String message) {
        this(status, message, List.of());
    }

    /**
     * @param status the HTTP status
     * @param message what was wrong
     * @param details one line per problem (e.g. per form field)
     */
    ApiException(int status, String message, List<String> details) {
        super(message);
        this.status = status;
        this.details = List.copyOf(details);
    }

    /** @return the HTTP status */
    int status() {
        return status;
    }

    /** @return one line per problem, possibly empty */
    List<String> details() {
        return details;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    static ApiException conflict(String message) {
        return new ApiException(409, message);
    }
}
