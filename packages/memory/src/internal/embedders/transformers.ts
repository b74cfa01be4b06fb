/**
 * The `@huggingface/transformers` adapter: a feature-extraction pipeline loaded from a local model
 * directory (config.json, tokenizer files, onnx/model*.onnx). Remote models are switched off, so
 * nothing is ever downloaded; a missing package, directory or model file is a typed error naming it.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { EmbedderError } from "../../Errors.js"

export interface TransformersOptions {
  /** The model directory, e.g. `./models/all-MiniLM-L6-v2` (absolute or relative to the working directory). */
  readonly modelDir: string
  /** How token vectors become one text vector (default `mean`). */
  readonly pooling?: "mean" | "cls"
  /** The ONNX weights variant to load, e.g. `fp32` (default), `q8`. */
  readonly dtype?: string
}

/** The small part of the package this adapter uses (typed here so the package stays optional). */
interface TensorLike {
  readonly dims: ReadonlyArray<number>
  readonly data: ArrayLike<number>
}
type Extractor = (texts: Array<string>, options: { pooling: string; normalize: boolean }) => Promise<TensorLike>
interface TransformersModule {
  readonly env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string }
  readonly pipeline: (task: string, model: string, options: Record<string, unknown>) => Promise<Extractor>
}

const PACKAGE = "@huggingface/transformers"

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

export interface LoadedModel {
  readonly name: string
  readonly dimension: number
  readonly embed: (texts: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Float32Array>, EmbedderError>
}

export const loadTransformers = (options: TransformersOptions): Effect.Effect<LoadedModel, EmbedderError> =>
  Effect.gen(function*() {
    const dir = path.resolve(options.modelDir)
    const name = `transformers:${path.basename(dir)}`
    const fail = (reason: string) => new EmbedderError({ embedder: name, reason })
    if (!fs.existsSync(dir)) return yield* fail(`model directory ${dir} does not exist (models are never downloaded)`)
    if (!fs.statSync(dir).isDirectory()) return yield* fail(`model path ${dir} is not a directory`)
    if (!fs.existsSync(path.join(dir, "config.json"))) {
      return yield* fail(`model directory ${dir} has no config.json: not a transformers model`)
    }
    const lib = yield* Effect.tryPromise({
      try: () => import(PACKAGE as string) as Promise<TransformersModule>,
      catch: (error) => fail(`package ${PACKAGE} cannot be loaded (install it to use this embedder): ${describe(error)}`)
    })
    lib.env.allowRemoteModels = false
    lib.env.allowLocalModels = true
    lib.env.localModelPath = path.dirname(dir) + path.sep
    const extractor = yield* Effect.tryPromise({
      try: () =>
        lib.pipeline("feature-extraction", path.basename(dir), {
          local_files_only: true,
          ...(options.dtype === undefined ? {} : { dtype: options.dtype })
        }),
      catch: (error) => fail(`cannot load the model in ${dir}: ${describe(error)}`)
    })
    const pooling = options.pooling ?? "mean"
    const embed = (texts: ReadonlyArray<string>) =>
      Effect.tryPromise({
        try: async () => {
          const tensor = await extractor([...texts], { pooling, normalize: true })
          const width = tensor.dims[tensor.dims.length - 1] ?? 0
          const data = Float32Array.from(tensor.data)
          return texts.map((_, i) => data.slice(i * width, (i + 1) * width))
        },
        catch: (error) => fail(`inference failed: ${describe(error)}`)
      })
    const [probe] = yield* embed(["dimension probe"])
    return { name, dimension: probe?.length ?? 0, embed }
  })
