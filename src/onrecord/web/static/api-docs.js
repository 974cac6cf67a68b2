// Starts Swagger UI on the API docs page. It lives in a file, not inline, so that the page's
// Content-Security-Policy can forbid inline scripts like every other page.
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
  });
})();
