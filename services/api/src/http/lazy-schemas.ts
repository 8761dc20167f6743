/**
 * Route schemas compiled when first used instead of while the service starts.
 *
 * Fastify compiles every route's request validators (Ajv) and response serializers
 * (fast-json-stringify) before it is ready: a few hundred schemas, most of a second of CPU, paid
 * on every start although a replica serves only some routes soon. Here each compilation is
 * deferred: the route gets a small function that compiles its schema on its first call and then
 * calls the compiled one. `compileAll` compiles whatever is still pending; the server runs it in
 * the background once it listens (`compileInBackground`), in slices of a few milliseconds between requests, so
 * the first calls seldom pay, and a schema that does not compile is logged right after start
 * rather than on some later request. Tests call `compileAll` to prove every schema compiles.
 */
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifySchemaCompiler } from 'fastify';
import { forSerialization } from './serialization-schema.js';

type FastifyValidationResult = ReturnType<FastifySchemaCompiler<object>>;

type Serializer = (data: unknown) => string;

export class LazySchemas {
  readonly #pending = new Set<() => unknown>();
  #compiled = 0;

  /** How many schemas were compiled so far, and how many wait for their first use. */
  get counts() {
    return { compiled: this.#compiled, pending: this.#pending.size };
  }

  /** A function returning `compile()`'s result, compiled once on the first call. */
  #defer<T>(compile: () => T): () => T {
    let compiled: { value: T } | undefined;
    const force = () => {
      if (!compiled) {
        compiled = { value: compile() };
        this.#pending.delete(force);
        this.#compiled++;
      }
      return compiled.value;
    };
    this.#pending.add(force);
    return force;
  }

  /** Wraps a validator compiler (`setValidatorCompiler`) so that each schema compiles on first use. */
  validatorCompiler(compile: FastifySchemaCompiler<object>): FastifySchemaCompiler<object> {
    return (route) => {
      const compiled = this.#defer(() => compile(route));
      // Fastify reads `errors` after a `false` result (Ajv's convention).
      const validate: FastifyValidationResult = (data: unknown) => {
        const fn = compiled();
        const result = fn(data);
        validate.errors = fn.errors;
        return result;
      };
      return validate;
    };
  }

  /**
   * A serializer factory for Fastify's `schemaController.compilersFactory.buildSerializer`: the
   * default one (fast-json-stringify), each response schema compiled on its first response, in the
   * forms it serializes fastest (serialization-schema.ts).
   */
  readonly buildSerializer = (externalSchemas?: unknown, options?: object) => {
    // The shared schemas (app.addSchema), by id.
    const shared =
      externalSchemas &&
      Object.fromEntries(
        Object.entries(externalSchemas).map(([id, schema]) => [id, forSerialization(schema)]),
      );
    const compile = SerializerSelector()(shared, options);
    return (route: Parameters<typeof compile>[0]): Serializer => {
      const compiled = this.#defer(() => compile({ ...route, schema: forSerialization(route.schema) }));
      return (data) => compiled()(data);
    };
  };

  /** Compiles every pending schema now; throws the first compilation error. */
  compileAll(): number {
    let n = 0;
    for (const force of [...this.#pending]) {
      force();
      n++;
    }
    return n;
  }

  /**
   * Compiles the pending schemas in slices of about `sliceMs` of work, yielding to the event loop
   * between slices so requests (and answers from Redis or the database, whose timeouts are short)
   * are served meanwhile; resolves with how many were compiled.
   */
  async compileInBackground(sliceMs = 5): Promise<number> {
    let n = 0;
    while (this.#pending.size > 0) {
      const start = performance.now();
      for (const force of this.#pending) {
        force();
        n++;
        if (performance.now() - start >= sliceMs) break;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return n;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The route schemas still to compile (see lazy-schemas.ts). */
    lazySchemas: LazySchemas;
  }
}
