// Runs a .tflite model in LiteRT.js (the WebAssembly build of TensorFlow Lite / LiteRT, CPU via
// XNNPACK) under Node, for tests/scripts/check_litert.py.
//
//   node run_litert.mjs describe MODEL            -> JSON {inputs: [...], outputs: [...]}
//   node run_litert.mjs run MODEL OUT_DIR IN...   -> OUT_DIR/litert_<j>.bin per output + JSON
//
// LiteRT.js targets browsers: it loads its Emscripten glue with importScripts() (workers) or a
// <script> tag. Node has neither, so we provide importScripts() that evaluates the glue in the
// global scope; the glue itself detects Node and reads the .wasm file with fs.
import {createRequire} from 'node:module';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import vm from 'node:vm';

globalThis.self = globalThis;
globalThis.require = createRequire(import.meta.url);
globalThis.importScripts = (file) => {
  globalThis.__dirname = path.dirname(file);
  vm.runInThisContext(readFileSync(file, 'utf8'), {filename: file});
};

const {loadLiteRt, loadAndCompile, Tensor} = await import('@litertjs/core');

const ARRAYS = {
  float32: Float32Array, int32: Int32Array, int8: Int8Array, uint8: Uint8Array,
  int16: Int16Array, int64: BigInt64Array, bool: Uint8Array,
};

function details(list) {
  // A dynamic dimension (-1) runs as 1, as tflite_run does.
  return list.map(d => ({name: d.name, dtype: d.dtype, shape: Array.from(d.shape, x => x < 0 ? 1 : x)}));
}

async function main() {
  const [mode, modelPath, outDir, ...inputFiles] = process.argv.slice(2);
  const wasmDir = path.join(path.dirname(fileURLToPath(import.meta.resolve('@litertjs/core'))),
                            '..', 'wasm') + '/';
  // LiteRT prints INFO lines on stdout; the JSON we print goes last, on its own line.
  await loadLiteRt(wasmDir);
  const model = await loadAndCompile(new Uint8Array(readFileSync(modelPath)), {accelerator: 'wasm'});
  const ins = details(model.getInputDetails());
  const outs = details(model.getOutputDetails());
  if (mode === 'describe') {
    console.log('LITERT_JSON ' + JSON.stringify({inputs: ins, outputs: outs}));
    return;
  }
  if (inputFiles.length !== ins.length)
    throw new Error(`${ins.length} inputs expected, ${inputFiles.length} given`);
  const tensors = ins.map((d, i) => {
    const Ctor = ARRAYS[d.dtype];
    if (!Ctor) throw new Error(`input ${i}: dtype ${d.dtype} not handled`);
    const b = readFileSync(inputFiles[i]);
    const data = new Ctor(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    return new Tensor(data, d.shape);
  });
  const results = await model.run(tensors);
  mkdirSync(outDir, {recursive: true});
  results.forEach((t, j) => {
    const a = t.toTypedArray();
    writeFileSync(path.join(outDir, `litert_${j}.bin`),
                  Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    t.delete();
  });
  tensors.forEach(t => t.delete());
  console.log('LITERT_JSON ' + JSON.stringify({inputs: ins, outputs: outs}));
}

main().then(() => process.exit(0), e => {
  console.error('LITERT_ERROR ' + (e && e.stack || e));
  process.exit(1);
});
