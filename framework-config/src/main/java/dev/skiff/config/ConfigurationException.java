package dev.skiff.config;

import java.util.List;

/**
 * Thrown when the configuration cannot be loaded or bound; carries every problem found in one pass.
 *
 * <p>The message is a complete report meant for a person; the launcher prints it and exits with
 * code 78 (EX_CONFIG) before anything starts.
 */
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The process exit code for a configuration problem (EX_CONFIG from sysexits.h). */
    public static final int EXIT_CODE = 78;

    private final transient List<ConfigProblem> problems;

    /**
     * Creates the exception for a non-empty list of problems.
     *
     * @param problems what was wrong, in the order found
     */
    public ConfigurationException(List<ConfigProblem> problems) {
        this("Configuration is invalid", problems);
    }

    /** With a headline of its own, for a problem found after startup (a missing secret, read). */
    ConfigurationException(String headline, List<ConfigProblem> problems) {
        super(report(headline, problems), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigurationException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** {@return every problem found, in the order found} */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String report(String headline, List<ConfigProblem> problems) {
        var out = new StringBuilder();
        out.append(headline).append(" (")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems")
                .append(headline.startsWith("Configuration is invalid") ? "); nothing was started." : ").");
        int n = 1;
        for (ConfigProblem problem : problems) {
            out.append("\n\n  ").append(n++).append(". ")
                    .append(problem.toString().replace("\n", "\n    "));
        }
        return out.toString();
    }
}
