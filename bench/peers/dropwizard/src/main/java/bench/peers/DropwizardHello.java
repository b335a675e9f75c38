package bench.peers;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Dropwizard serving the benchmark's routes: GET /hello (JSON) and GET /slow?ms=N, configured by
 * {@code peer.yml} on the classpath with {@code PORT} substituted from the environment.
 */
public final class DropwizardHello extends Application<Configuration> {

    public static void main(String[] args) throws Exception {
        new DropwizardHello().run("server", "peer.yml");
    }

    @Override
    public void initialize(Bootstrap<Configuration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                new ResourceConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        environment.jersey().register(new Routes());
    }

    /** The two routes, as a Jersey resource. */
    @Path("/")
    public static final class Routes {

        @GET
        @Path("hello")
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> hello(@QueryParam("name") @DefaultValue("world") String name) {
            return Map.of("message", "Hello, " + name + "!");
        }

        @GET
        @Path("slow")
        @Produces(MediaType.TEXT_PLAIN)
        public String slow(@QueryParam("ms") @DefaultValue("2000") long ms) throws InterruptedException {
            Thread.sleep(ms);
            return "done";
        }
    }
}
