package com.example.starter;

import dev.skiff.testing.DeploymentFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** After packaging (mvn verify): the Procfile, the manifests and the Dockerfile's training run against the jar. */
class DeploymentFilesIT {

    // snippet:deployment-files
    @Test
    void theDeploymentFilesMatchTheJar() {
        DeploymentFiles.check(Path.of(System.getProperty("skiff.jar", "target/starter.jar")));
    }
    // end:deployment-files
}
