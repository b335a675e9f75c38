package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * dev.skiff:service-parent has no parent, so what it shares with Skiff's own build is written
 * twice: these checks keep the copies equal. (Not part of the archetype's project.)
 */
class ServiceParentTest {

    private static final Path ROOT = Path.of("../../pom.xml");
    private static final Path SERVICE_PARENT = Path.of("../../service-parent/pom.xml");

    private static Map<String, String> versionProperties(String pom) {
        Map<String, String> versions = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("<([a-z-]+-plugin\\.version|surefire\\.version)>([^<]+)</\\1>").matcher(pom);
        while (matcher.find()) {
            versions.put(matcher.group(1), matcher.group(2));
        }
        return versions;
    }

    private static List<String> advisories(String pom) {
        int start = pom.indexOf("<!-- advisories:start -->");
        int end = pom.indexOf("<!-- advisories:end -->");
        assertThat(start).as("the advisory list's start marker").isNotNegative();
        return pom.substring(start, end).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    @Test
    void pluginsAreTheVersionsSkiffBuildsWith() throws Exception {
        Map<String, String> root = versionProperties(Files.readString(ROOT));
        Map<String, String> parent = versionProperties(Files.readString(SERVICE_PARENT));

        assertThat(parent).isNotEmpty();
        parent.forEach((name, version) -> assertThat(root).as("root pom's " + name).containsEntry(name, version));
    }

    @Test
    void servicesAreCheckedAgainstTheSameAdvisories() throws Exception {
        List<String> root = advisories(Files.readString(ROOT));

        assertThat(root).anyMatch(line -> line.startsWith("<exclude>ch.qos.logback:logback-core:"));
        assertThat(advisories(Files.readString(SERVICE_PARENT))).isEqualTo(root);
    }

    @Test
    void itsVersionIsSkiffs() throws Exception {
        String parent = Files.readString(SERVICE_PARENT);
        String version = Files.readString(ROOT).replaceFirst("(?s).*?<artifactId>skiff-parent</artifactId>\\s*<version>([^<]+)</version>.*", "$1");

        assertThat(parent).contains("<artifactId>service-parent</artifactId>\n  <version>" + version + "</version>")
                .contains("<skiff.version>" + version + "</skiff.version>");
    }
}
