package dev.mcpconnector.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import dev.mcpconnector.ai.McpGatewayServlet;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.execution.McpToolExecutor;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * {@link McpGatewayServlet} on the benchmark's executor, in an embedded Tomcat on 127.0.0.1, behind
 * a filter that authenticates every request as one user (what the host's Spring Security chain
 * would have done before it): the gateway's own cost is what is measured, not a login.
 */
final class GatewayHost implements AutoCloseable {

	static final String PATH = "/gateway/mcp";

	/**
	 * The name prefix of the gateway's request threads: Tomcat's NIO connector names its
	 * workers {@code http-nio-<address>-<port>-exec-<n>}, and this is the only Tomcat in the
	 * benchmark's JVM while the gateway is measured (the fast server runs in its own).
	 */
	static final String THREAD_PREFIX = "http-nio-";

	private final Tomcat tomcat;

	private GatewayHost(Tomcat tomcat) {
		this.tomcat = tomcat;
	}

	static GatewayHost start(McpToolExecutor executor, McpConnectionService connections, SecretCipher cipher,
			McpOwner user) throws IOException, LifecycleException {
		McpGatewayServlet gateway = new McpGatewayServlet(executor, connections,
				(authentication) -> McpOwner.of(authentication.getName()), cipher, PATH, List.of(),
				new McpSchema.Implementation("bench-gateway", "1"));
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(Files.createTempDirectory("bench-gateway-tomcat").toString());
		tomcat.setPort(0);
		tomcat.getConnector().setProperty("address", "127.0.0.1");
		tomcat.getConnector().setProperty("maxKeepAliveRequests", "-1");
		Context context = tomcat.addContext("", null);
		Wrapper wrapper = Tomcat.addServlet(context, "gateway", gateway);
		wrapper.setAsyncSupported(true);
		context.addServletMappingDecoded(PATH, "gateway");
		FilterDef login = new FilterDef();
		login.setFilterName("login");
		login.setFilter(new HttpFilter() {

			@Override
			protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws IOException, ServletException {
				SecurityContextHolder.getContext()
					.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user.principal(), "n/a", List.of()));
				try {
					chain.doFilter(request, response);
				}
				finally {
					SecurityContextHolder.clearContext();
				}
			}

		});
		login.setAsyncSupported("true");
		context.addFilterDef(login);
		FilterMap map = new FilterMap();
		map.setFilterName("login");
		map.addURLPatternDecoded(PATH);
		context.addFilterMap(map);
		tomcat.start();
		return new GatewayHost(tomcat);
	}

	String mcpUrl() {
		return "http://127.0.0.1:" + this.tomcat.getConnector().getLocalPort() + PATH;
	}

	@Override
	public void close() throws LifecycleException {
		this.tomcat.stop();
		this.tomcat.destroy();
	}

}
