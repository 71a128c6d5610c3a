// Starts Swagger UI on /schema/swagger (skillpass's own file: the page has no inline script, see skillpass/apidocs.py).
(function () {
  "use strict";
  var container = document.getElementById("swagger-container");
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)skillpass_csrf=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : undefined;
  }
  SwaggerUIBundle({
    url: container.dataset.specUrl,
    dom_id: "#swagger-container",
    deepLinking: true,
    // ~190 operations: tags start collapsed (all expanded, Swagger UI stops rendering part-way)
    docExpansion: "none",
    validatorUrl: null,  // the default asks validator.swagger.io for a badge: no outside requests
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis],
    // a signed-in browser trying a form-protected call needs the CSRF header; API keys need nothing
    requestInterceptor: function (request) {
      var token = csrfToken();
      if (token !== undefined) { request.headers["x-csrftoken"] = token; }
      return request;
    }
  });
})();
