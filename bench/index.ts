// `npm run bench`: runs every benchmark in turn and prints its figures (never asserted).
// Run one alone with `node --import tsx bench/<name>.ts`.
const names = process.argv.slice(2);
const all = ['cli', 'engine', 'trace', 'ui'];
for (const name of names.length ? names : all) {
  console.log(`\n=== bench/${name}.ts ===`);
  const mod = (await import(`./${name}.ts`)) as { run: () => Promise<void> };
  await mod.run();
}
export {};
