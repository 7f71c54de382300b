import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Model loading and index builds are real work on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites share the ONNX runtime's threads; running files one at a time keeps timings honest.
    fileParallelism: false,
  },
});
