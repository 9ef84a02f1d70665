// Prints, for each Parquet file named on the command line, its Arrow schema as Apache Arrow's Rust
// Parquet reader infers it (fields with type, nullability and children) and its key-value metadata.
import { readFileSync } from 'node:fs';
import * as parquet from 'parquet-wasm/node';
import { tableFromIPC } from 'apache-arrow';

function describe(field) {
  return {
    name: field.name,
    type: String(field.type),
    nullable: field.nullable,
    children: (field.type.children || []).map(describe),
  };
}

const out = {};
for (const file of process.argv.slice(2)) {
  const table = tableFromIPC(parquet.readParquet(new Uint8Array(readFileSync(file))).intoIPCStream());
  out[file] = {
    fields: table.schema.fields.map(describe),
    metadata: Object.fromEntries(table.schema.metadata),
  };
}
process.stdout.write(JSON.stringify(out));
