/** An SDL enum from one of the domain's vocabularies, so GraphQL and REST share one list. */
export const enumSdl = (name: string, values: readonly (string | number)[]): string =>
  `enum ${name} {\n${values.map((v) => `  ${v}`).join('\n')}\n}`;
