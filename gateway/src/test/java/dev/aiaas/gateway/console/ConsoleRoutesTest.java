package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.http.FailureHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The console routes of a gateway whose classpath has no console. */
@ExtendWith(VertxExtension.class)
class ConsoleRoutesTest {

  /** Verifies that a missing console build does not stop the gateway and answers a 503 problem naming why. */
  @Test
  void missingBuildIsA503NotAFailedStart(Vertx vertx, VertxTestContext test) {
    ConsoleRoutes.load(vertx, "no-console-here")
        .compose(console -> {
          Router router = Router.router(vertx);
          console.mount(router);
          router.route().failureHandler(new FailureHandler(1024));
          return vertx.createHttpServer().requestHandler(router).listen(0);
        })
        .compose(server -> vertx.createHttpClient().request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/console/keys")
            .compose(request -> request.send())
            .compose(response -> response.body().map(body -> {
              assertEquals(503, response.statusCode());
              JsonObject problem = body.toJsonObject();
              assertEquals("urn:aiaas:problem:console-not-built", problem.getString("type"));
              assertTrue(problem.getString("detail").contains("without the web console"), problem.encode());
              return null;
            })))
        .onComplete(test.succeedingThenComplete());
  }
}
