/**
 * Every column of a table, spelled out: what a query selects instead of `*` when it is saved as a
 * named prepared statement (src/db/prepared.ts). PostgreSQL expands `*` when it parses a statement,
 * so a saved `select *` fails once its table gains a column ("cached plan must not change result
 * type"), which a newer replica's migration can do under a running one; a list keeps the result
 * the same and the column is simply not read. The list is checked against the table's interface:
 * a column missing from it is a type error, so it cannot fall behind the schema.
 */

/** The columns of `T` as a list; `columnsOf<LeaderTable>()(['tenant_id', …])`. */
export const columnsOf =
  <T>() =>
  <const L extends readonly (keyof T & string)[]>(
    list: L &
      (Exclude<keyof T, L[number]> extends never ? unknown : { missing: Exclude<keyof T, L[number]> }),
  ): L =>
    list;

/** The same columns of the table aliased `alias` (`n.id`, …), for a query that joins it. */
export const qualified = <A extends string, C extends string>(alias: A, columns: readonly C[]) =>
  columns.map((c) => `${alias}.${c}` as const) as `${A}.${C}`[];
