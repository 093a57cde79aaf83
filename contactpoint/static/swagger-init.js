// Swagger UI at /api/v1/docs, started from this file rather than an inline script: the spec's
// address and flask-smorest's OPENAPI_SWAGGER_UI_CONFIG come from the container's attributes.
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui-container");
  var config = { url: container.dataset.specUrl, dom_id: "#swagger-ui-container" };
  var own = JSON.parse(container.dataset.config || "{}");
  for (var name in own) { config[name] = own[name]; }
  window.ui = SwaggerUIBundle(config);
});
