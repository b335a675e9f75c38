package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testing.SkiffExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service in this JVM, through real HTTP; its deployment files against its jar. */
class MainTest {

    @RegisterExtension
    static final SkiffExtension service = SkiffExtension.of(Main::setup).with("STARTER_API_TOKEN", "test-token");

    @Test
    void greetsWithTheTokenAndRefusesWithout() throws Exception {
        HttpResponse<String> hello = service.send(service.request("/hello?name=Ada")
                .header("Authorization", "Bearer test-token"));
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("{\"message\":\"Hello, Ada!\"}");

        assertThat(service.get("/hello").statusCode()).isEqualTo(401);
    }
}
