package dev.skiff.http;

/**
 * Ends a request with a status other than 500 and a problem body saying why, such as
 * {@code throw new HttpException(404, "no note 42")}. Not logged as an error: it is the answer.
 */
public final class HttpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The status sent. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param status an HTTP status from 400 to 599
     * @param detail what went wrong, for the client; never secrets or internals
     */
    public HttpException(int status, String detail) {
        super(detail, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HttpException carries a 4xx or 5xx status, got " + status);
        }
        this.status = status;
    }

    /**
     * A 400 Bad Request.
     *
     * @param detail what is wrong with the request
     * @return the exception to throw
     */
    public static HttpException badRequest(String detail) {
        return new HttpException(400, detail);
    }

    /**
     * A 404 Not Found.
     *
     * @param detail what was not found
     * @return the exception to throw
     */
    public static HttpException notFound(String detail) {
        return new HttpException(404, detail);
    }

    /** {@return the status sent} */
    public int status() {
        return status;
    }
}
