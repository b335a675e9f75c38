package bench.peers;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spring Boot serving the benchmark's routes: GET /hello (JSON) and GET /slow?ms=N. */
@SpringBootApplication
@RestController
public class SpringHello {

    public static void main(String[] args) {
        SpringApplication.run(SpringHello.class, args);
    }

    @GetMapping("/hello")
    public Map<String, String> hello(@RequestParam(name = "name", defaultValue = "world") String name) {
        return Map.of("message", "Hello, " + name + "!");
    }

    @GetMapping("/slow")
    public String slow(@RequestParam(name = "ms", defaultValue = "2000") long ms) throws InterruptedException {
        Thread.sleep(ms);
        return "done";
    }
}
