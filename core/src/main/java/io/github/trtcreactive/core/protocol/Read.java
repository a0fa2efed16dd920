package io.github.trtcreactive.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The strict value readers the generated {@code ModelReaders} are made of. Each takes the token its
 * type is written as, or null; any other token (a number where a string belongs, a string where a
 * number belongs, a null inside a list) is {@link Unexpected}, and the whole reply is then bound by
 * Jackson, whose coercion rules decide such cases.
 */
final class Read {

    private Read() {}

    /** Reads an object from a parser positioned on its {@code START_OBJECT}. */
    @FunctionalInterface
    interface ObjectReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** Reads a value whose first token is {@code t}. */
    @FunctionalInterface
    interface ValueReader<T> {
        T read(JsonParser p, JsonToken t) throws IOException;
    }

    /** A token the strict readers do not take: leave the reply to Jackson. */
    static final class Unexpected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Unexpected INSTANCE = new Unexpected();

        private Unexpected() {
            super("a token the generated readers leave to Jackson", null, false, false);
        }
    }

    /** A non-null {@code Error} member: the reply is an error envelope. */
    static final class ErrorMember extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final ErrorMember INSTANCE = new ErrorMember();

        private ErrorMember() {
            super("the reply has an Error member", null, false, false);
        }
    }

    static String string(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        return nullOrUnexpected(t);
    }

    static Long integer(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        return nullOrUnexpected(t);
    }

    static Double decimal(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        return nullOrUnexpected(t);
    }

    static Boolean bool(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        return nullOrUnexpected(t);
    }

    static <T> T object(JsonParser p, JsonToken t, ObjectReader<T> reader) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            return reader.read(p);
        }
        return nullOrUnexpected(t);
    }

    static <T> List<T> list(JsonParser p, JsonToken t, ValueReader<T> element) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            return nullOrUnexpected(t);
        }
        List<T> values = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            if (e == null || e == JsonToken.VALUE_NULL) {
                throw Unexpected.INSTANCE;
            }
            values.add(element.read(p, e));
        }
        return values;
    }

    /** A response's {@code Error} member: null is no error; anything else makes it an error envelope. */
    static void noError(JsonToken t) {
        if (t != JsonToken.VALUE_NULL) {
            throw ErrorMember.INSTANCE;
        }
    }

    /** After an object's members: the parser must stand on its end. */
    static void expectEndObject(JsonParser p) {
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw Unexpected.INSTANCE;
        }
    }

    private static <T> T nullOrUnexpected(JsonToken t) {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw Unexpected.INSTANCE;
    }
}
