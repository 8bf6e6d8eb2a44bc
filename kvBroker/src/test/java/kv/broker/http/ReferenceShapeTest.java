package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients written for the reference service work unchanged: the bodies they send (a list of strings
 * to PUT, a string to APPEND) validate against api/openapi.yml's ReferenceWriteRequest, a schema
 * that allows only those, and against the WriteRequest the API takes.
 */
class ReferenceShapeTest {
  private static final OpenAPI API;
  private static final SchemaValidator SCHEMAS;

  static {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    API = new OpenAPIV3Parser().readContents(OpenApiCheck.spec(), null, options).getOpenAPI();
    SCHEMAS = new SchemaValidator(API, new MessageResolver());
  }

  private static boolean valid(String json, String schemaName) {
    Schema<?> schema = API.getComponents().getSchemas().get(schemaName);
    assertThat(schema).as(schemaName).isNotNull();
    return !SCHEMAS.validate(json, schema, "body").hasErrors();
  }

  /** Whether api/openapi.yml takes the body in {@code POST /keys/pets} (the request as a whole). */
  private static boolean taken(String json) {
    return !OpenApiCheck.validator().validateRequest(new SimpleRequest.Builder("POST", "/keys/pets")
        .withContentType("application/json").withBody(json).build()).hasErrors();
  }

  @Test
  void theReferenceServicesBodiesAreReferenceWriteRequestsAndWriteRequests() {
    for (String body : List.of("{\"type\": \"PUT\", \"value\": [\"cat\", \"dog\"]}", "{\"type\": \"PUT\", \"value\": []}",
        "{\"type\": \"APPEND\", \"value\": \"mouse\"}")) {
      assertThat(valid(body, "ReferenceWriteRequest")).as(body).isTrue();
      assertThat(valid(body, "WriteRequest")).as(body).isTrue();
      assertThat(taken(body)).as(body).isTrue();
    }
  }

  @Test
  void theReferenceSchemaAllowsOnlyThoseWhileTheApiTakesAnyValue() {
    for (String body : List.of("{\"type\": \"PUT\", \"value\": {\"a\": 1}}", "{\"type\": \"PUT\", \"value\": [1]}",
        "{\"type\": \"PUT\", \"value\": \"cat\"}", "{\"type\": \"APPEND\", \"value\": [\"x\"]}",
        "{\"type\": \"APPEND\", \"value\": 1}")) {
      assertThat(valid(body, "ReferenceWriteRequest")).as(body).isFalse();
      assertThat(valid(body, "WriteRequest")).as(body).isTrue();
      assertThat(taken(body)).as(body).isTrue();
    }
  }

  @Test
  void neitherSchemaTakesWhatTheApiRefuses() {
    for (String body : List.of("{\"type\": \"MERGE\", \"value\": 1}", "{\"type\": \"PUT\"}", "{\"value\": 1}",
        "{\"type\": \"PUT\", \"value\": 1, \"ttl\": 5}", "[\"PUT\", 1]")) {
      assertThat(valid(body, "ReferenceWriteRequest")).as(body).isFalse();
      assertThat(valid(body, "WriteRequest")).as(body).isFalse();
      assertThat(taken(body)).as(body).isFalse();
    }
  }
}
