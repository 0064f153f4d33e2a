package io.paybridge.billing.projection;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One page of a list, newest first.
 *
 * @param nextCursor pass as {@code after} for the next page; {@code null} on the last page
 */
public record Page(List<ObjectNode> items, String nextCursor) {

  /** A page of {@code limit} from rows fetched with one extra (to know whether more follow). */
  public static Page of(List<Projected> rows, int limit) {
    boolean more = rows.size() > limit;
    var items = rows.stream().limit(limit).map(Projected::view).toList();
    String next =
        more
            ? new Cursor(rows.get(limit - 1).createdAt(), rows.get(limit - 1).id()).encode()
            : null;
    return new Page(items, next);
  }
}
