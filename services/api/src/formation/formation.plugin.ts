/** The background runner for formation runs: started with the app, stopped before the database closes. */
import fp from 'fastify-plugin';
import { FormationRunner } from './formation.runner.js';

declare module 'fastify' {
  interface FastifyInstance {
    formationRunner: FormationRunner;
  }
}

export default fp(
  async (app) => {
    const runner = new FormationRunner(app.db, app.log);
    app.decorate('formationRunner', runner);
    app.addHook('onReady', async () => runner.resumePending());
    app.addHook('preClose', async () => runner.close());
  },
  { name: 'formation-runner', fastify: '5.x', dependencies: ['database'] },
);
