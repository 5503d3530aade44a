import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserError } from '../../core/errors.js';
import { describe, expect, it } from 'vitest';
import { checkSpaceDefinition, gridProblems, valueFits } from '../../spaces/validate.js';
import type { Param } from '../../spaces/space.js';
import { Rng } from '../../core/rng.js';
import { sample, spaceSize } from '../../spaces/operators.js';
import { getBuiltinSpace } from '../../spaces/registry.js';
import { loadSpaceFile, resolveSpace, spaceFromFile, storedSpace } from '../../spaces/space-file.js';
import { analyzeSpec } from '../../spaces/analyze.js';

const narrow = {
  name: 'pi-mobile', base: 'mobile-cnn',
  params: { width: { type: 'categorical', values: [0.5, 0.75] }, 'quant.bits': { type: 'categorical', values: [8] }, 'stage1.depth': { type: 'int', low: 2, high: 3 } },
};

describe('space files', () => {
  it('narrow a built-in space and keep its topology', () => {
    const space = spaceFromFile(narrow);
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const g = sample(space.definition, rng);
      expect([0.5, 0.75]).toContain(g.width);
      expect(g['quant.bits']).toBe(8);
      expect(g['stage1.depth']).toBeGreaterThanOrEqual(2);
      expect(() => analyzeSpec(space.toSpec(g, { inputShape: [28, 28, 1], numClasses: 10 }))).not.toThrow();
    }
    expect(spaceSize(space.definition)! < spaceSize(getBuiltinSpace('mobile-cnn').definition)!).toBe(true);
  });

  it.each([
    [{ ...narrow, base: 'resnet' }, /base: "resnet" is not a built-in space/],
    [{ ...narrow, params: { kernels: { type: 'categorical', values: [3] } } }, /params.kernels: not a parameter of mobile-cnn/],
    [{ ...narrow, params: { width: { type: 'categorical', values: [2] } } }, /params.width: value 2 is not in the base space; the base allows one of 0.35, 0.5, 0.75, 1$/],
    [{ ...narrow, params: { 'quant.bits': { type: 'categorical', values: ['8'] } } }, /params.quant.bits: value "8" is not in the base space \(a string: write 8 without quotes\); the base allows one of 32, 16, 8, 4, 2, 1$/],
    [{ ...narrow, params: { 'stage0.depth': { type: 'int', low: 1, high: 9 } } }, /params.stage0.depth: range \[1, 9\] is outside the base's \[1, 2\]/],
    [{ ...narrow, params: { widht: { type: 'categorical', values: [0.5] } } }, /params.widht: not a parameter of mobile-cnn; did you mean 'width'\?$/],
    [{ ...narrow, params: { width: { values: [0.5] } } }, /params.width.type: missing \(categorical, int or float\)$/],
    [{ ...narrow, params: { 'stage1.depth': { type: 'int', low: 0, high: 3 } } }, /params.stage1.depth: range \[0, 3\] is outside the base's \[1, 3\]/],
    [{ ...narrow, params: { width: { type: 'categorical', values: [] } } }, /params.width.values: expected a non-empty array/],
    [{ ...narrow, extra: 1 }, /extra: unknown key/],
    [{ ...narrow, params: { 'stage1.depth': { type: 'float', low: 1, high: 3 } } }, /params.stage1.depth: the base parameter is int: keep its type \(got float\)/],
    [{ ...narrow, params: { 'stage1.depth': { type: 'int', low: 1, high: 3, step: 1e-300 } } }, /params.stage1.depth.step: expected a positive integer/],
    [{ ...narrow, base: 'toString' }, /base: "toString" is not a built-in space/],
    [{ name: 'x', params: {} }, /base: missing; name the built-in space this file narrows \(mobile-cnn, /],
    [{ ...narrow, params: { constructor: { type: 'int', low: 1, high: 2 } } }, /params.constructor: not a parameter of mobile-cnn/],
    [{ ...narrow, params: { 'quant.mode': { type: 'categorical', values: ['qat'], when: { 'quant.bits': [8] } } } }, /params.quant.mode.when: conditions come from the base space and cannot change; leave "when" out \(mobile-cnn's is \{"quant.bits":\[8,4,2,1\]\}\)$/],
  ])('reject %j naming the key', (file, message) => {
    expect(() => spaceFromFile(file, 'my.json')).toThrow(message);
  });

  it('accept the base\'s own condition repeated, in any order, though the parameter it refers to is not in the file', () => {
    for (const bits of [[8, 4, 2, 1], [1, 2, 4, 8]]) {
      const file = { name: 'x', base: 'mlp', params: { 'quant.mode': { type: 'categorical', values: ['qat'], when: { 'quant.bits': bits } } } };
      expect(spaceFromFile(file).definition.params['quant.mode']).toMatchObject({ values: ['qat'], when: { 'quant.bits': [8, 4, 2, 1] } });
    }
  });

  it('refuse a step that would list more than 100,001 values', () => {
    expect(checkSpaceDefinition({ name: 'x', params: { lr: { type: 'float', low: 0, high: 1, step: 1e-9 } } })).toEqual([
      'params.lr.step: 1e-9 makes 1000000001 values in [0, 1]; at most 100001',
    ]);
    expect(checkSpaceDefinition({ name: 'x', params: { lr: { type: 'float', low: 0, high: 1, step: 1e-5 } } })).toEqual([]);
  });

  it('refuse a step that leaves out high, or everything but low, saying what the grid would hold, in a file read now', () => {
    const grid = (param: object) => gridProblems({ name: 'x', params: { n: param as Param } });
    expect(grid({ type: 'int', low: 1, high: 3, step: 5 })).toEqual(['params.n.step: 5 is larger than the range [1, 3], so the parameter could only be 1; use a step that divides 2']);
    expect(grid({ type: 'int', low: 0, high: 101, step: 3 })).toEqual(['params.n.high: 101 is not a whole number of steps of 3 from low 0 (the grid would end at 99); use high 99, or a step that divides the range']);
    // Decimal steps that divide the range up to rounding are fine, far from zero too, and so is a fixed value.
    for (const ok of [{ type: 'float', low: 0.1, high: 0.9, step: 0.2 }, { type: 'float', low: 1000000.1, high: 1000000.12, step: 0.01 }, { type: 'float', low: 1000.01, high: 1000.0101, step: 0.00001 },
      { type: 'int', low: 2, high: 2, step: 4 }]) expect(grid(ok)).toEqual([]);
    // A run searched with such a file before these checks still loads from what it stored; the file read now is refused.
    const dir = mkdtempSync(join(tmpdir(), 'hwnas-grid-'));
    const odd = { name: 'odd', base: 'tiny-cnn', params: { blocks: { type: 'int', low: 1, high: 4, step: 2 } } };
    writeFileSync(join(dir, 'odd.json'), JSON.stringify(odd));
    expect(() => loadSpaceFile(join(dir, 'odd.json'))).toThrow(/odd\.json: params\.blocks\.high: 4 is not a whole number of steps of 2 from low 1 \(the grid would end at 3\)/);
    expect(storedSpace(odd).definition.params.blocks).toMatchObject({ low: 1, high: 4, step: 2 });
  });

  it('hold a value to the grid at the parameter\'s own scale, tiny or far from zero', () => {
    const tiny = { type: 'float' as const, low: 0, high: 1e-8, step: 1e-9 };
    expect(valueFits(tiny, 3e-9)).toBe(true);
    expect(valueFits(tiny, 1e-8)).toBe(true);
    // Half a step off the grid, and a tenth of a step past high.
    expect(valueFits(tiny, 5e-10)).toBe(false);
    expect(valueFits(tiny, 1.01e-8)).toBe(false);
    expect(valueFits({ type: 'float', low: 0, high: 1e-13 }, 1.5e-13)).toBe(false);
    // Decimal steps and large values still fit up to rounding.
    expect(valueFits({ type: 'float', low: 0.1, high: 0.9, step: 0.2 }, 0.1 + 0.2 + 0.2)).toBe(true);
    expect(valueFits({ type: 'float', low: 1e8, high: 1e8 + 1, step: 0.001 }, 1e8 + 0.003)).toBe(true);
    expect(valueFits({ type: 'float', low: 1e8, high: 1e8 + 1, step: 0.001 }, 1e8 + 0.0035)).toBe(false);
  });

  it('name up to three problems of a file at once', () => {
    const file = { ...narrow, params: { widht: { type: 'categorical', values: [0.5] }, width: { type: 'categorical', values: [2] }, 'stage0.depth': { type: 'int', low: 1, high: 9 }, 'stage1.depth': { type: 'int', low: 0, high: 3 } } };
    expect(() => spaceFromFile(file, 'my.json')).toThrow(/^my\.json: params\.widht: not a parameter .*; params\.width: value 2 .*; params\.stage0\.depth: range \[1, 9\] .* \(and 1 more\)$/);
  });

  it('load from disk with one-line errors for unreadable or malformed files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hwnas-space-'));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(narrow));
    writeFileSync(join(dir, 'bad.json'), '{"name": "x",');
    expect(loadSpaceFile(join(dir, 'ok.json')).definition.name).toBe('pi-mobile');
    expect(resolveSpace(join(dir, 'ok.json')).definition.name).toBe('pi-mobile');
    expect(() => loadSpaceFile(join(dir, 'bad.json'))).toThrow(/bad.json: not valid JSON/);
    // A byte-order mark (some Windows editors write one) is read past, as in profiles and CSVs.
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${JSON.stringify(narrow)}`);
    expect(loadSpaceFile(join(dir, 'bom.json')).definition.name).toBe('pi-mobile');
    writeFileSync(join(dir, 'twice.json'), '{"name": "x", "base": "mlp", "params": {"depth": {"type": "int", "low": 1, "high": 2},\n "depth": {"type": "int", "low": 1, "high": 3}}}');
    expect(() => loadSpaceFile(join(dir, 'twice.json'))).toThrow(/twice\.json: not valid JSON \(key "depth" in params appears twice, again at line 2, column 2; JSON keeps only the last, so remove one\)/);
    // A run's stored space that is not an object says so once, not "space file: space file: ...".
    expect(() => storedSpace({})).toThrow(/^space file: params: expected|^space file: base: /);
    expect(() => storedSpace([] as never)).toThrow(/^space file: expected a JSON object with "name", "base" and "params"$/);
    expect(() => loadSpaceFile(join(dir, 'missing.json'))).toThrow(/^no space file at .*missing\.json$/);
    try { loadSpaceFile(join(dir, 'missing.json')); } catch (error) { expect((error as UserError).hint).toMatch(/built-in space \(.*mobile-cnn.*\) or the path of a space file/); }
    expect(() => loadSpaceFile(dir)).toThrow(/cannot read space file .*EISDIR/);
    expect(() => resolveSpace('resnet')).toThrow(/unknown space 'resnet'/);
  });
});
