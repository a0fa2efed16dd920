package io.github.trtcreactive.reactor.metric;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One row of a monitoring or usage series: its time and one value per column. Columns keep the
 * service's names and order (a name may repeat, as one dashboard series does). Counts and rates are
 * whole numbers; usage (minutes, bandwidth) may be fractional.
 *
 * @param time the start of the row's bucket
 * @param columns the column names, without {@code time}
 * @param values the values, aligned with the columns
 */
public record MetricPoint(Instant time, List<String> columns, List<Double> values) {

    /**
     * Copies the lists.
     *
     * @param time the start of the row's bucket
     * @param columns the column names, without {@code time}
     * @param values the values, aligned with the columns
     * @throws IllegalArgumentException when the lists differ in length
     */
    public MetricPoint {
        Objects.requireNonNull(time, "time");
        columns = List.copyOf(columns);
        values = List.copyOf(values);
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException(columns.size() + " columns but " + values.size() + " values");
        }
    }

    /**
     * The value of the first column with a name.
     *
     * @param column for example {@code userCount}
     * @return the value
     * @throws IllegalArgumentException when there is no such column
     */
    public double value(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return values.get(i);
    }
}
