package dev.skiff.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a service's deployment files against its packaged jar, so that a file that went stale
 * fails the build rather than the deploy: every process type or command a {@code Procfile} line
 * or a Kubernetes manifest's {@code args} names is one the jar defines, and the
 * {@code Dockerfile}'s training run ({@code … -jar … train}) succeeds with what that {@code RUN}
 * line gives it — no more (a production secret it would need, an unmigrated database it would
 * meet). Files that are absent are not checked.
 *
 * {@snippet :
 * @Test
 * void theDeploymentFilesMatchTheJar() {
 *     DeploymentFiles.check(Path.of(System.getProperty("skiff.jar")));
 * }
 * }
 */
public final class DeploymentFiles {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern HELP_LINE = Pattern.compile("^  ([a-z][a-z0-9-]*)  ");
    private static final Pattern FLOW_LIST = Pattern.compile("^\\s*(?:-\\s+)?(args|command):\\s*\\[(.*)]\\s*(#.*)?$");
    private static final Pattern BLOCK_LIST = Pattern.compile("^(\\s*)(?:-\\s+)?(args|command):\\s*(#.*)?$");
    private static final Pattern BLOCK_ITEM = Pattern.compile("^\\s*-\\s+(.*?)\\s*(#.*)?$");
    /** A word that can name a command or process type: what a container's arguments start with. */
    private static final Pattern COMMAND = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", Pattern.DOTALL);

    private DeploymentFiles() {}

    /**
     * Checks the {@code Procfile}, {@code deploy/**.yaml} and {@code Dockerfile} of the current
     * directory (a Maven module's, where its tests run) against the jar.
     *
     * @param jar the packaged service, such as {@code target/orders.jar}
     * @throws AssertionError naming each stale line: its file, line number and what to change
     */
    public static void check(Path jar) {
        check(jar, Path.of(""));
    }

    /**
     * Checks the deployment files of {@code project} against the jar.
     *
     * @param jar the packaged service
     * @param project the directory that holds {@code Procfile}, {@code deploy/} and {@code Dockerfile}
     * @throws AssertionError naming each stale line: its file, line number and what to change
     */
    public static void check(Path jar, Path project) {
        Set<String> commands = commands(jar);
        List<String> stale = new ArrayList<>();
        String known = "; " + jar.getFileName() + " defines " + String.join(", ", commands);
        Path procfile = project.resolve("Procfile");
        List<String> lines = lines(procfile);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || !line.contains(":")) {
                continue;
            }
            List<String> words = new ArrayList<>();
            for (String word : words(line.substring(line.indexOf(':') + 1))) {
                // sh -c 'exec java -jar app.jar worker': the quoted line is the one that runs.
                words.addAll(word.contains(" ") ? words(word) : List.of(word));
            }
            int jarAt = words.indexOf("-jar");
            if (jarAt < 0 || jarAt + 1 >= words.size()) {
                continue;
            }
            String command = jarAt + 2 < words.size() && !words.get(jarAt + 2).startsWith("-") ? words.get(jarAt + 2)
                    : "serve";
            if (!commands.contains(command)) {
                stale.add("Procfile:" + (i + 1) + " runs \"" + command + "\", which the code does not define" + known);
            }
        }
        for (Path manifest : manifests(project.resolve("deploy"))) {
            List<String> yaml = lines(manifest);
            for (int i = 0; i < yaml.size(); i++) {
                List<String> items = new ArrayList<>();
                String kind;
                int at = i;
                Matcher flow = FLOW_LIST.matcher(yaml.get(i));
                Matcher block = BLOCK_LIST.matcher(yaml.get(i));
                if (flow.matches()) {
                    kind = flow.group(1);
                    items.addAll(flowItems(flow.group(2)));
                } else if (block.matches()) {
                    kind = block.group(2);
                    for (int j = i + 1; j < yaml.size(); j++) {
                        String next = yaml.get(j).strip();
                        if (next.isEmpty() || next.startsWith("#")) {
                            continue;
                        }
                        Matcher item = BLOCK_ITEM.matcher(yaml.get(j));
                        if (!item.matches()) {
                            break;
                        }
                        if (items.isEmpty()) {
                            at = j;
                        }
                        items.add(unquote(item.group(1)));
                    }
                } else {
                    continue;
                }
                int line = at + 1;
                commandOf(kind, items).filter(command -> !commands.contains(command)).ifPresent(command ->
                        stale.add(project.relativize(manifest).toString().replace('\\', '/') + ":" + line
                                + " runs \"" + command + "\", which the code does not define" + known));
            }
        }
        training(jar, project.resolve("Dockerfile")).ifPresent(stale::add);
        if (!stale.isEmpty()) {
            throw new AssertionError("The deployment files do not match the code (" + stale.size()
                    + (stale.size() == 1 ? " problem" : " problems") + "):\n  " + String.join("\n  ", stale));
        }
    }

    /** {@return the names {@code --help} lists: the built-in commands, the process types, the application's commands} */
    private static Set<String> commands(Path jar) {
        try (var help = AppProcess.startJar(jar, Map.of(), "--help")) {
            int status = help.awaitExit(WAIT);
            if (status != 0) {
                throw new AssertionError(jar + " --help exited " + status + ":\n"
                        + String.join("\n", help.stderrLines()));
            }
            var names = new TreeSet<String>();
            for (String line : help.stdoutLines()) {
                Matcher name = HELP_LINE.matcher(line);
                if (name.find()) {
                    names.add(name.group(1));
                }
            }
            return names;
        }
    }

    /**
     * Runs the Dockerfile's training step as written — its variables, {@code train}, {@code PORT=0}
     * — in an empty directory, so that no {@code .env} helps it. {@return what is wrong, if anything}
     */
    private static java.util.Optional<String> training(Path jar, Path dockerfile) {
        List<String> lines = lines(dockerfile);
        var imageEnv = new LinkedHashMap<String, String>();
        var buildArgs = new LinkedHashMap<String, String>();
        for (int i = 0; i < lines.size(); i++) {
            int first = i;
            var instruction = new StringBuilder(lines.get(i));
            while (instruction.toString().endsWith("\\") && i + 1 < lines.size()) {
                instruction.setLength(instruction.length() - 1);
                instruction.append(' ').append(lines.get(++i).strip());
            }
            String text = instruction.toString().strip();
            List<String> words = new ArrayList<>();
            if (text.matches("(?s)RUN\\s+\\[.*]\\s*")) {
                // The exec form: RUN ["java", "-jar", "app.jar", "train"].
                words.add("RUN");
                words.addAll(flowItems(text.substring(text.indexOf('[') + 1, text.lastIndexOf(']'))));
            } else {
                for (String word : words(text)) {
                    // sh -c "NAME=value java -jar app.jar train": the quoted line is the one that runs.
                    words.addAll(word.contains(" ") && !word.startsWith("-") ? words(word) : List.of(word));
                }
            }
            if (!words.isEmpty() && words.getFirst().equals("FROM")) {
                imageEnv.clear(); // a stage of its own
                buildArgs.clear();
            }
            if (!words.isEmpty() && words.getFirst().equals("ARG")) {
                for (String word : words.subList(1, words.size())) {
                    Matcher assignment = ASSIGNMENT.matcher(word);
                    if (assignment.matches()) {
                        buildArgs.put(assignment.group(1), assignment.group(2));
                    }
                }
                continue;
            }
            words.replaceAll(word -> substitute(word, buildArgs));
            if (!words.isEmpty() && words.getFirst().equals("ENV")) {
                for (String word : words.subList(1, words.size())) {
                    Matcher assignment = ASSIGNMENT.matcher(word);
                    if (assignment.matches() && !assignment.group(2).contains("$")) { // an ARG's value is the build's
                        imageEnv.put(assignment.group(1), assignment.group(2));
                    }
                }
                continue;
            }
            if (words.isEmpty() || !words.getFirst().equals("RUN") || !words.contains("train")) {
                continue;
            }
            int javaAt = -1;
            for (int w = 0; w < words.size(); w++) {
                if (words.get(w).equals("java") || words.get(w).endsWith("/java")) {
                    javaAt = w;
                    break;
                }
            }
            int jarAt = words.indexOf("-jar");
            if (javaAt < 0 || jarAt < javaAt) {
                continue;
            }
            var env = new LinkedHashMap<String, String>(imageEnv);
            for (String word : words.subList(1, javaAt)) {
                Matcher assignment = ASSIGNMENT.matcher(word);
                if (assignment.matches() && !assignment.group(2).contains("$")) {
                    env.put(assignment.group(1), assignment.group(2));
                }
            }
            env.put("PORT", "0");
            // The cache the line writes is the image's business, not this check's.
            env.computeIfPresent("JAVA_TOOL_OPTIONS", (name, value) -> value.replaceAll("-XX:AOTCache\\S*", "").strip());
            List<String> properties = words.subList(javaAt + 1, jarAt).stream()
                    .filter(word -> word.startsWith("-D")).toList();
            Path empty;
            try {
                empty = Files.createTempDirectory("skiff-training");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (var training = AppProcess.startJarIsolated(jar, env, empty, properties, "train")) {
                int status = training.awaitExit(WAIT);
                if (status != 0) {
                    return java.util.Optional.of("Dockerfile:" + (first + 1) + ": the training run exits " + status
                            + " with what that RUN line gives it (" + (env.size() == 1 ? "nothing but PORT=0"
                            : String.join(", ", env.keySet())) + "): give it what it needs there, as NAME=value"
                            + " before java — values for a build, never production secrets:\n    "
                            + String.join("\n    ", training.stderrLines().isEmpty() ? training.stdoutLines()
                            : training.stderrLines()));
                }
            } finally {
                empty.toFile().delete();
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * {@return the command a container's {@code args} or {@code command} list runs, if it names
     * one} A list with {@code -jar} names the word after the jar ({@code serve} when there is
     * none); other {@code args} name their first item when it is a word a command could be (not a
     * shell line, not {@code NAME=value}); a {@code command} without {@code -jar} is the image's
     * business.
     */
    private static java.util.Optional<String> commandOf(String kind, List<String> items) {
        int jarAt = items.indexOf("-jar");
        if (jarAt >= 0) {
            if (jarAt + 2 >= items.size()) {
                return jarAt + 1 < items.size() ? java.util.Optional.of("serve") : java.util.Optional.empty();
            }
            String word = items.get(jarAt + 2);
            return word.startsWith("-") ? java.util.Optional.empty() : java.util.Optional.of(word);
        }
        if (kind.equals("args") && !items.isEmpty() && COMMAND.matcher(items.getFirst()).matches()) {
            return java.util.Optional.of(items.getFirst());
        }
        return java.util.Optional.empty();
    }

    /** The items of a YAML flow list's inside, {@code "a", 'b', c}: quotes removed. */
    private static List<String> flowItems(String inside) {
        var items = new ArrayList<String>();
        var item = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < inside.length(); i++) {
            char c = inside.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    item.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ',') {
                items.add(item.toString().strip());
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        if (!item.toString().isBlank()) {
            items.add(item.toString().strip());
        }
        return items;
    }

    private static String unquote(String text) {
        String stripped = text.strip();
        if (stripped.length() >= 2 && (stripped.charAt(0) == '"' || stripped.charAt(0) == '\'')
                && stripped.charAt(stripped.length() - 1) == stripped.charAt(0)) {
            return stripped.substring(1, stripped.length() - 1);
        }
        return stripped;
    }

    /** An {@code ARG}'s default, where a word names it ({@code $NAME}, {@code ${NAME}}); others stay, and are left out. */
    private static String substitute(String word, Map<String, String> buildArgs) {
        String out = word;
        for (var arg : buildArgs.entrySet()) {
            out = out.replace("${" + arg.getKey() + "}", arg.getValue()).replace("$" + arg.getKey(), arg.getValue());
        }
        return out;
    }

    private static List<Path> manifests(Path deploy) {
        if (!Files.isDirectory(deploy)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(deploy)) {
            return files.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + deploy, e);
        }
    }

    private static List<String> lines(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Splits a shell line into words, with single and double quotes (no expansion). */
    private static List<String> words(String line) {
        var words = new ArrayList<String>();
        var word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c) || c == ';' || c == '&') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
