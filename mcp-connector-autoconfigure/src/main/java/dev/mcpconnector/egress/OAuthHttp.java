package dev.mcpconnector.egress;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

/**
 * Sends a request that the Nimbus OAuth SDK built through mcp-connector's guarded client, and
 * hands the response back to Nimbus to parse. Nimbus builds and parses the protocol messages;
 * the egress client decides where they may go.
 */
public final class OAuthHttp {

	private OAuthHttp() {
	}

	/**
	 * Send a Nimbus request.
	 * @param http the guarded client
	 * @param request the request
	 * @return the response, as Nimbus expects it
	 */
	public static HTTPResponse send(EgressHttpClient http, HTTPRequest request) {
		Map<String, String> headers = new LinkedHashMap<>();
		Map<String, List<String>> requestHeaders = request.getHeaderMap();
		requestHeaders.forEach((name, values) -> {
			if (!values.isEmpty() && !"Content-Type".equalsIgnoreCase(name)) {
				headers.put(name, String.join(", ", values));
			}
		});
		headers.putIfAbsent("Accept", "application/json");
		EgressResponse response;
		if (request.getMethod() == HTTPRequest.Method.POST) {
			String contentType = (request.getEntityContentType() != null) ? request.getEntityContentType().toString()
					: "application/x-www-form-urlencoded; charset=UTF-8";
			String body = (request.getBody() != null) ? request.getBody() : "";
			response = http.post(request.getURI(), contentType, body.getBytes(StandardCharsets.UTF_8), headers);
		}
		else {
			response = http.getNoRedirect(request.getURI(), headers);
		}
		HTTPResponse nimbus = new HTTPResponse(response.status());
		response.headers().map().forEach((name, values) -> {
			if (!values.isEmpty() && !name.startsWith(":")) {
				nimbus.setHeader(name, values.toArray(String[]::new));
			}
		});
		nimbus.setBody(response.bodyAsString());
		return nimbus;
	}

}
