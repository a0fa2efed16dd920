package io.github.trtcreactive.codegen;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The facts-only description of the TRTC API that the generator reads: actions, object types and
 * their members, with the site (international, China) that documents each. It carries no prose.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Spec(
        @JsonProperty("service") String service,
        @JsonProperty("version") String version,
        @JsonProperty("secretMembers") List<String> secretMembers,
        @JsonProperty("actions") Map<String, Action> actions,
        @JsonProperty("objects") Map<String, ObjectType> objects) {

    /** Where an action or member is documented. */
    public static final String INTL = "intl";
    /** Where an action or member is documented. */
    public static final String CN = "cn";

    /**
     * One API action.
     *
     * @param input the request object type
     * @param output the response object type
     * @param sites the sites documenting the action
     * @param rateLimit the per-account limit
     * @param family the task family, when the action belongs to one
     * @param role the action's role within its family
     * @param deprecated whether a site marks the action deprecated
     * @param summary one sentence, in this project's words, on what the action does
     * @param regions the regions the action's page states; empty when it needs none; null when unstated
     * @param errors notable error codes the action's page lists
     * @param streaming {@code sse} when the reply is a stream of server-sent events
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Action(
            @JsonProperty("input") String input,
            @JsonProperty("output") String output,
            @JsonProperty("sites") List<String> sites,
            @JsonProperty("rateLimit") RateLimit rateLimit,
            @JsonProperty("family") String family,
            @JsonProperty("role") String role,
            @JsonProperty("deprecated") Boolean deprecated,
            @JsonProperty("summary") String summary,
            @JsonProperty("regions") List<String> regions,
            @JsonProperty("errors") List<String> errors,
            @JsonProperty("streaming") String streaming) {}

    /**
     * A rate limit: {@code permits} calls per {@code periodSeconds}.
     *
     * @param permits calls allowed in one period
     * @param periodSeconds the period
     * @param basis {@code documented} or {@code assumed}
     * @param source where a documented limit is stated
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RateLimit(
            @JsonProperty("permits") int permits,
            @JsonProperty("periodSeconds") int periodSeconds,
            @JsonProperty("basis") String basis,
            @JsonProperty("source") String source) {}

    /**
     * A request, response or data type.
     *
     * @param kind {@code request}, {@code response} or {@code data}
     * @param sites the sites documenting the type
     * @param members its members, in documentation order
     */
    public record ObjectType(
            @JsonProperty("kind") String kind,
            @JsonProperty("sites") List<String> sites,
            @JsonProperty("members") List<Member> members) {}

    /**
     * One member of an object type.
     *
     * @param name the wire name, exactly as the service spells it
     * @param type {@code string}, {@code int}, {@code float}, {@code bool}, {@code object} or {@code list}
     * @param element the object type for {@code object}; the element type for {@code list}
     * @param required whether every site documenting the member marks it required
     * @param nullable whether the service may send null
     * @param deprecated whether a site marks the member disabled
     * @param sites the sites documenting the member
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Member(
            @JsonProperty("name") String name,
            @JsonProperty("type") String type,
            @JsonProperty("element") String element,
            @JsonProperty("required") boolean required,
            @JsonProperty("nullable") boolean nullable,
            @JsonProperty("deprecated") Boolean deprecated,
            @JsonProperty("sites") List<String> sites) {}

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * Reads a spec file.
     *
     * @param file the spec's path
     * @return the spec
     * @throws IOException when the file cannot be read or parsed
     */
    public static Spec read(Path file) throws IOException {
        return mapper().readValue(file.toFile(), Spec.class);
    }
}
