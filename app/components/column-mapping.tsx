/**
 * "Which column holds what": a file's columns, their first values, and a choice of field for each. The roster import
 * and the plain directory CSVs ask it alike; each passes its own fields and form names.
 */
export type MappedColumn = { index: number; header: string; samples: string[]; field: string };

export function ColumnMappingTable({ columns, fields, labelOf, nameOf }: {
  columns: MappedColumn[];
  fields: readonly string[];
  labelOf: (field: string) => string;
  nameOf: (index: number) => string;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption>Columns in the file</caption>
        <thead>
          <tr><th scope="col">Column</th><th scope="col">First values</th><th scope="col">Holds</th></tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr key={c.index}>
              <th scope="row">{c.header}</th>
              <td>{c.samples.length ? c.samples.join("; ") : <span className="muted">(empty)</span>}</td>
              <td>
                <label htmlFor={`map-${c.index}`} className="hint">Column {c.header} holds</label>{" "}
                <select id={`map-${c.index}`} name={nameOf(c.index)} defaultValue={c.field}>
                  {fields.map((f) => <option key={f} value={f}>{labelOf(f)}</option>)}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
