import { describe, expect, it } from 'vitest';
import { cosine, normOf, quantize, quantizeAll } from '../src/index-store/int8-vectors.js';
import { testEmbedder } from './helpers/workspace.js';

function exactCosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += a[i]! * b[i]!;
  return dot / (normOf(a) * normOf(b));
}

describe('8-bit passage vectors', () => {
  it("score the real model's passages within 0.002 of the exact cosine", async () => {
    const embedder = await testEmbedder();
    const passages = await embedder.embedPassages([
      'Iran issued an arrest warrant for Trump, and earlier in July, US secret services foiled an attempt by Tehran to assassinate the former president.',
      'Microsoft said a group run by the Islamic Revolutionary Guard Corps sent a spear-phishing email to a high-ranking official of a presidential campaign.',
      'The recipe calls for three ripe bananas, flour, butter and a pinch of salt.',
      'Khatibzadeh called the US allegations "fabricated, deceitful, repetition and naïve."',
    ]);
    const questions = await Promise.all(['What did the Secret Service foil?', 'Who sent phishing emails?', 'How do I bake banana bread?'].map((q) => embedder.embedQuery(q)));
    const stored = quantizeAll(passages.map((vector, id) => [id, vector] as const), passages[0]!.length);
    for (const question of questions) {
      passages.forEach((passage, id) => {
        expect(Math.abs(cosine(stored.get(id)!, question, normOf(question)) - exactCosine(passage, question))).toBeLessThan(0.002);
      });
    }
  });

  it('keep a zero vector, and vectors of any scale, without dividing by zero', () => {
    const zero = quantize(new Float32Array(8));
    expect(cosine(zero, new Float32Array(8).fill(1), normOf(new Float32Array(8).fill(1)))).toBe(0);
    const large = Float32Array.from({ length: 8 }, (_, i) => (i - 4) * 1000);
    const query = Float32Array.from({ length: 8 }, (_, i) => i % 3);
    expect(cosine(quantize(large), query, normOf(query))).toBeCloseTo(exactCosine(large, query), 2);
  });
});
