// Starts GraphiQL against this server's /graphql. Kept in a file (not inline) so the page's
// Content-Security-Policy can forbid inline scripts.
/* global React, ReactDOM, GraphiQL */
(function () {
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
  var defaultQuery = [
    '# Gongzhi GraphQL. Get a token with:',
    '#   npx gongzhi token --sub me --roles admin --org-unit root',
    '# and put it in the Headers tab below:',
    '#   { "Authorization": "Bearer <token>" }',
    '',
    'query OrgUnits {',
    '  orgUnits(first: 20) {',
    '    nodes { id name kind path }',
    '    pageInfo { hasNextPage endCursor }',
    '  }',
    '}',
    '',
  ].join('\n');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultHeaders: '{\n  "Authorization": "Bearer <token>"\n}',
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    }),
  );
})();
