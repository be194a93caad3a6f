package io.github.kcawspack.example.resourceserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The demo API of the replaced OAuth2 servers' tutorials, as a resource server of the demo realm.
 * Started with {@code java -jar target/example-resource-server.jar}; settings are the
 * {@code demo-api.*} properties of {@link DemoApiSettings} (command line {@code --name=value},
 * environment or {@code application.properties}).
 */
@SpringBootApplication
@EnableConfigurationProperties(DemoApiSettings.class)
public class ResourceServerApplication {

    /**
     * Starts the HTTP server (port {@code server.port}, 8081 by default).
     *
     * @param args Spring Boot arguments, e.g. {@code --demo-api.validation=introspection}
     */
    public static void main(String[] args) {
        SpringApplication.run(ResourceServerApplication.class, args);
    }
}
