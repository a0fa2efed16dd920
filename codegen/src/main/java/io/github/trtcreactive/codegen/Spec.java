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
        @JsonProperty("objects") Map<String, ObjectType> objects,
        @JsonProperty("errorCodes") ErrorCodes errorCodes) {

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
     * @param errors the error codes the action's page lists, then those the facts overlay adds
     * @param streaming {@code sse} when the reply is a stream of server-sent events
     * @param documentation the action's official page, when the seeds give it
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
            @JsonProperty("streaming") String streaming,
            @JsonProperty("documentation") String documentation) {}

    /**
     * The error codes the documentation lists apart from any one action.
     *
     * @param common the codes every action of every service may answer
     * @param service the codes of this service
     */
    public record ErrorCodes(
            @JsonProperty("common") List<String> common,
            @JsonProperty("service") List<String> service) {}

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
     * @param rules the documented rules between its members, when the facts overlay names them
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ObjectType(
            @JsonProperty("kind") String kind,
            @JsonProperty("sites") List<String> sites,
            @JsonProperty("members") List<Member> members,
            @JsonProperty("rules") List<Rule> rules) {

        /** A type without rules between its members. */
        public ObjectType(String kind, List<String> sites, List<Member> members) {
            this(kind, sites, members, List.of());
        }

        /** {@return the rules, never null} */
        @Override
        public List<Rule> rules() {
            return rules == null ? List.of() : rules;
        }
    }

    /**
     * A documented rule between members of one type, checked at the documented level (the client
     * before sending, the emulator on arrival).
     *
     * <ul>
     *   <li>{@code period}: {@code members} are [from, to]; to is not before from and at most
     *       {@code max} seconds after it; {@code format} is {@code EPOCH_SECONDS}, {@code DATE} or
     *       {@code DATE_TIME} (the members' form, itself checked);</li>
     *   <li>{@code product}: the product of the two {@code members} is at most {@code max};</li>
     *   <li>{@code atMost}: the one member (a number, or a list's length) is at most {@code max}.</li>
     * </ul>
     *
     * @param kind {@code period}, {@code product} or {@code atMost}
     * @param members the members the rule binds, in the order above
     * @param max the bound
     * @param format the form of a period's members
     * @param when a member that must be present for the rule to apply, when the rule is conditional
     * @param label how the bound reads to people, when a number would not ({@code 1920 × 1080})
     * @param sites the sites whose descriptions state the rule
     * @param error the code the service answers when the rule is broken, when the action's page lists one
     *     (the emulator answers it; without one, {@code InvalidParameter.OutOfRange})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(
            @JsonProperty("kind") String kind,
            @JsonProperty("members") List<String> members,
            @JsonProperty("max") long max,
            @JsonProperty("format") String format,
            @JsonProperty("when") String when,
            @JsonProperty("label") String label,
            @JsonProperty("sites") List<String> sites,
            @JsonProperty("error") String error) {}

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
            @JsonProperty("sites") List<String> sites,
            @JsonProperty("facts") Facts facts) {

        /** The member without facts (the mini spec of the tests, older specs). */
        public Member(String name, String type, String element, boolean required, boolean nullable,
                Boolean deprecated, List<String> sites) {
            this(name, type, element, required, nullable, deprecated, sites, null);
        }
    }

    /**
     * What the documentation states about a member's values, as facts: no sentence of it.
     *
     * @param unit {@code s}, {@code ms}, {@code bytes}, {@code kbps}, {@code px}, {@code Hz}, ...
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @param defaultValue the value the service assumes when the member is left out
     * @param maxLength the most characters of a string
     * @param maxItems the most elements of a list
     * @param values the values allowed, each with a constant name and a meaning in this project's words
     *     when the facts overlay gives them
     * @param valueSet the name of a value-set type shared by several members, when the overlay names one
     * @param sites the sites whose descriptions state these facts
     * @param notes what is uncertain: a fact only one site states, or where the sites disagree
     * @param checked the facts a request is checked against (the others are only documented)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Facts(
            @JsonProperty("unit") String unit,
            @JsonProperty("min") Long min,
            @JsonProperty("max") Long max,
            @JsonProperty("default") String defaultValue,
            @JsonProperty("maxLength") Long maxLength,
            @JsonProperty("maxItems") Long maxItems,
            @JsonProperty("values") List<Value> values,
            @JsonProperty("valueSet") String valueSet,
            @JsonProperty("sites") List<String> sites,
            @JsonProperty("notes") List<String> notes,
            @JsonProperty("checked") List<String> checked) {}

    /**
     * One allowed value of a member.
     *
     * @param value the value as sent (a number or a string)
     * @param name the constant's name, when the overlay gives one
     * @param meaning a few words of this project's on what it means, when the overlay gives them
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Value(
            @JsonProperty("value") String value,
            @JsonProperty("name") String name,
            @JsonProperty("meaning") String meaning) {}

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
