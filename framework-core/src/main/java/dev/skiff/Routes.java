package dev.skiff;

import dev.skiff.http.Handler;
import dev.skiff.http.HttpException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a service's routes are added: handlers by method and path, filters, and groups of routes
 * that share a path prefix and filters of their own.
 *
 * {@snippet :
 * app.group("/notes", notes -> notes
 *         .before(requireToken)               // runs before the routes of this group only
 *         .get("/{id}", show)
 *         .post("", create));
 * }
 */
public sealed interface Routes permits App, RouteGroup {

    /**
     * Serves {@code GET} requests for a path; a {@code GET} route answers {@code HEAD} too.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}, or a tail route such as
     *     {@code /files/*} whose rest is {@code ctx.pathParam("*")}
     * @param handler what answers
     * @return these routes
     */
    default Routes get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    /**
     * Serves {@code POST} requests for a path.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}
     * @param handler what answers
     * @return these routes
     */
    default Routes post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    /**
     * Serves {@code PUT} requests for a path.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}
     * @param handler what answers
     * @return these routes
     */
    default Routes put(String path, Handler handler) {
        return route("PUT", path, handler);
    }

    /**
     * Serves {@code PATCH} requests for a path.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}
     * @param handler what answers
     * @return these routes
     */
    default Routes patch(String path, Handler handler) {
        return route("PATCH", path, handler);
    }

    /**
     * Serves {@code DELETE} requests for a path.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}
     * @param handler what answers
     * @return these routes
     */
    default Routes delete(String path, Handler handler) {
        return route("DELETE", path, handler);
    }

    /**
     * Serves requests with a method for a path.
     *
     * @param method an HTTP method, such as {@code PUT}
     * @param path a path, with parameters such as {@code /notes/{id}}; relative to the group's prefix
     * @param handler what answers
     * @return these routes
     */
    Routes route(String method, String path, Handler handler);

    /**
     * Runs {@code filter} before the handler of every route added here (in a group: the group's
     * routes only), such as an authentication check; a filter that throws
     * {@link dev.skiff.http.HttpException} or answers ends the request. An enclosing scope's
     * filters run first.
     *
     * @param filter the filter
     * @return these routes
     */
    Routes before(Handler filter);

    /**
     * Runs {@code filter} after the handler of every route added here (in a group: the group's
     * routes only), even when the handler failed. An enclosing scope's filters run after it.
     *
     * @param filter the filter
     * @return these routes
     */
    Routes after(Handler filter);

    /**
     * Serves the files of a folder under a path, for {@code GET} and {@code HEAD}:
     * {@code app.staticFiles("/assets", "classpath:public")} serves
     * {@code src/main/resources/public/app.js} as {@code /assets/app.js}.
     *
     * <p>Content types by extension; {@code ETag} and {@code Last-Modified}, with 304 for a
     * conditional {@code GET}; {@code Cache-Control: public, max-age=31536000, immutable} for a
     * fingerprinted name (a hash of 8 or more letters and digits before the extension, such as
     * {@code app.3f9a1c2e.js} or {@code index-BqL3ev2x.js}), {@code no-cache} (revalidate) for the
     * others; one {@code Range} (206, or 416 past the end); {@code index.html} for a folder, and
     * never a listing. A name with a {@code ..}, a hidden segment ({@code .env}), a backslash or a
     * colon is a 404, however encoded, as is a link out of a directory. A file from a directory is
     * sent from the file to the socket without a copy. The routes' filters run around it, as
     * around any route; routes added for paths under it win over it.
     *
     * @param path where the files appear, such as {@code /assets}, or {@code /} for the root
     * @param location {@code classpath:<folder>} for a folder in the jar, or a directory
     * @return these routes
     * @throws IllegalArgumentException when the directory does not exist, or the folder is not on the class path
     */
    Routes staticFiles(String path, String location);

    /**
     * Answers an exception of a type, thrown by a handler or filter of the routes added here (in a
     * group: the group's routes only), with the problem the application chooses:
     *
     * {@snippet :
     * app.exception(OutOfStock.class, e -> new HttpException(409, e.getMessage())
     *         .type(URI.create("https://shop.example.com/problems/out-of-stock"))
     *         .title("Out of stock")
     *         .with("sku", e.sku()));
     * }
     *
     * <p>The innermost scope with a mapping for the exception answers it, with its mapping of the
     * closest type. An {@link HttpException} is an answer already: only a mapping of its own type
     * takes it. A mapping of {@code Exception}, {@code RuntimeException} or {@code Throwable} is a
     * catch-all: it takes only what no other mapping and no module answers (a database outage
     * stays a 503 with {@code Retry-After}). A mapping that answers 5xx logs the exception as an
     * error; one that throws is a 500, logged. What nobody takes is a 500, logged.
     *
     * @param type the exception's type; its subtypes too
     * @param answer makes the answer from the exception
     * @param <E> the type
     * @return these routes
     */
    <E extends Throwable> Routes exception(Class<E> type, Function<? super E, ? extends HttpException> answer);

    /**
     * Adds routes that share a path prefix, and filters that apply to them alone:
     * {@code routes.group("/notes", notes -> notes.get("/{id}", show).post("", create))}.
     *
     * @param prefix the shared start of the paths, such as {@code /api/notes}
     * @param group adds the routes, with paths relative to the prefix
     * @return these routes
     */
    Routes group(String prefix, Consumer<Routes> group);
}
