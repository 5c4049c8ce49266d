package dev.aiprof.api.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of a report section: columns with a header and an alignment, and rows of cells already
 * formatted. Renderers (text, HTML) lay it out; sections never pad. Immutable once built.
 */
public record Table(List<Column> columns, List<List<String>> rows) {
  /** A column: its header, whether its cells align right (numbers), and a width limit. */
  public record Column(String header, boolean right, int maxWidth) {
    public static Column left(String header, int maxWidth) {
      return new Column(header, false, maxWidth);
    }

    public static Column right(String header) {
      return new Column(header, true, Integer.MAX_VALUE);
    }
  }

  public Table {
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
    for (List<String> r : rows) {
      if (r.size() != columns.size()) {
        throw new IllegalArgumentException(
            "a row has " + r.size() + " cells for " + columns.size() + " columns");
      }
    }
  }

  public static Builder builder(Column... columns) {
    return new Builder(List.of(columns));
  }

  /** Collects rows. Not thread-safe. */
  public static final class Builder {
    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();

    private Builder(List<Column> columns) {
      this.columns = columns;
    }

    public Builder row(String... cells) {
      rows.add(List.of(cells));
      return this;
    }

    public Table build() {
      return new Table(columns, rows);
    }
  }
}
