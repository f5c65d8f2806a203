// Starts Swagger UI on the app's own OpenAPI document (a file, so the CSP needs no inline script).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
