package dev.skiff.config;

import com.typesafe.config.ConfigOrigin;
import java.net.URL;

/** Says where a value came from in the words an operator uses. */
final class Origins {

    private Origins() {}

    /** {@return such as {@code env var PORT}, {@code application.conf: 3} or {@code default (reference.conf: 12 in framework-core.jar)}} */
    public static String describe(ConfigOrigin origin) {
        if (origin == null) {
            return "unknown";
        }
        String resource = origin.resource();
        if (resource == null) {
            String filename = origin.filename();
            if (filename != null) {
                return filename + (origin.lineNumber() >= 0 ? ": " + origin.lineNumber() : "");
            }
            return origin.description();
        }
        String where = resource + (origin.lineNumber() >= 0 ? ": " + origin.lineNumber() : "");
        String jar = jarName(origin.url());
        if (jar != null) {
            where += " in " + jar;
        }
        return resource.equals("reference.conf") ? "default (" + where + ")" : where;
    }

    private static String jarName(URL url) {
        if (url == null || !"jar".equals(url.getProtocol())) {
            return null;
        }
        String path = url.getPath();
        int bang = path.indexOf("!/");
        String jarPath = bang < 0 ? path : path.substring(0, bang);
        return jarPath.substring(jarPath.lastIndexOf('/') + 1);
    }
}
