// Entry of the index-building child process. The project runs its TypeScript through tsx, whose
// hooks are registered here (the child is started without the parent's loader flags).
const entry = process.argv[2];
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
