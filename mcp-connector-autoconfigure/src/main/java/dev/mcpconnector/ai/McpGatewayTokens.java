package dev.mcpconnector.ai;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.jpa.McpConnectorTables;

import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gateway tokens: bearer tokens a user creates for a hosted AI platform (OpenAI's Responses
 * API, Anthropic's Messages API) so that it can call the gateway as that user, optionally
 * limited to some connections and tool globs. The token is returned once, by
 * {@link #create}; the database keeps only its SHA-256 hash (a token is 32 random bytes, so a
 * fast hash is enough: there is nothing to guess from it, unlike a password). The gateway alone
 * accepts one ({@link BearerFilter} on its paths); the REST API never does. Every query
 * names the owner: another user's token id is a missing one. Creating, revoking and every use
 * are audited ({@link AuditEvent.Type#GATEWAY_TOKEN}, never the token).
 */
public class McpGatewayTokens {

	/** What every gateway token starts with, so the gateway tells it from other bearer tokens. */
	public static final String PREFIX = "mcpgw_";

	static final int MAX_NAME_LENGTH = 100;

	static final int MAX_ENTRIES = 50;

	private static final Pattern ENTRY = Pattern.compile("[^\\n\\r\\t]{1,255}");

	private static final int SECRET_BYTES = 32;

	/** The longest lifetime a token gets by default. */
	public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofDays(365);

	private final JdbcTemplate jdbc;

	private final String table;

	private final Clock clock;

	private final AuditLog audit;

	private final Duration maxLifetime;

	private final SecureRandom random = new SecureRandom();

	/**
	 * @param dataSource where {@code mcp_gateway_token} lives
	 * @param tables the schema of mcp-connector's tables
	 * @param clock the time
	 * @param audit records creation, revocation and every use
	 * @param maxLifetime the longest a token may live
	 */
	public McpGatewayTokens(DataSource dataSource, McpConnectorTables tables, Clock clock, AuditLog audit,
			Duration maxLifetime) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(tables, "tables cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.isTrue(maxLifetime != null && !maxLifetime.isNegative() && !maxLifetime.isZero(),
				"maxLifetime must be positive");
		this.jdbc = new JdbcTemplate(dataSource);
		this.table = tables.gatewayToken();
		this.clock = clock;
		this.audit = audit;
		this.maxLifetime = maxLifetime;
	}

	/**
	 * Create a token.
	 * @param owner whose it is
	 * @param name a label for the user (at most 100 characters)
	 * @param expiresAt when it stops working: in the future, within the longest lifetime
	 * @param connections connection names (display name or the prefix of its tool names) it may
	 * reach, or empty for all
	 * @param toolGlobs globs ({@code *}) over the exported or the server's own tool names it may
	 * call, or empty for all
	 * @return the token, with its secret (shown this once)
	 * @throws McpConnectorException {@code invalid-request} for a bad name, expiry or list
	 */
	public Issued create(McpOwner owner, String name, Instant expiresAt, List<String> connections,
			List<String> toolGlobs) {
		Assert.notNull(owner, "owner cannot be null");
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		if (!StringUtils.hasText(name) || name.length() > MAX_NAME_LENGTH) {
			throw invalid("name must be 1 to " + MAX_NAME_LENGTH + " characters");
		}
		if (expiresAt == null || !expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(this.maxLifetime))) {
			throw invalid("expiresAt must be in the future and at most " + this.maxLifetime.toDays() + " days ahead");
		}
		List<String> limitedTo = entries(connections, "connections");
		List<String> globs = entries(toolGlobs, "toolGlobs");
		byte[] bytes = new byte[SECRET_BYTES];
		this.random.nextBytes(bytes);
		String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Token token = new Token(UUID.randomUUID(), owner, name.strip(), limitedTo, globs, now,
				expiresAt.truncatedTo(ChronoUnit.MICROS), null);
		this.jdbc.update("insert into " + this.table + " (id, tenant_id, owner_id, name, token_hash, connections,"
				+ " tool_globs, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", token.id(),
				owner.tenantId(), owner.principal(), token.name(), hash(secret), String.join("\n", limitedTo),
				String.join("\n", globs), Timestamp.from(now), Timestamp.from(token.expiresAt()));
		record(owner, "created", token.id());
		return new Issued(token, secret);
	}

	/**
	 * The owner's tokens, newest first, without their secrets.
	 * @param owner the owner
	 * @return the tokens, expired ones included
	 */
	public List<Token> list(McpOwner owner) {
		Assert.notNull(owner, "owner cannot be null");
		return this.jdbc.query("select * from " + this.table + " where tenant_id = ? and owner_id = ?"
				+ " order by created_at desc, id", this::token, owner.tenantId(), owner.principal());
	}

	/**
	 * Revoke (delete) one of the owner's tokens; it stops working at once on every instance.
	 * @param owner the owner
	 * @param id the token's id
	 * @throws McpConnectorException {@code gateway-token-not-found} if the owner has no such token
	 */
	public void revoke(McpOwner owner, UUID id) {
		Assert.notNull(owner, "owner cannot be null");
		int deleted = (id != null) ? this.jdbc.update("delete from " + this.table
				+ " where id = ? and tenant_id = ? and owner_id = ?", id, owner.tenantId(), owner.principal()) : 0;
		if (deleted == 0) {
			throw new McpConnectorException(McpConnectorErrorCode.GATEWAY_TOKEN_NOT_FOUND, "No such gateway token");
		}
		record(owner, "revoked", id);
	}

	/**
	 * The token a presented secret stands for, if it exists and has not expired; records its use.
	 * @param secret the presented bearer token
	 * @return the token, or empty
	 */
	Optional<Token> authenticate(String secret) {
		if (secret == null || !secret.startsWith(PREFIX)) {
			return Optional.empty();
		}
		// Looked up by hash: the database compares hashes, never the secret itself.
		List<Token> found = this.jdbc.query("select * from " + this.table + " where token_hash = ?", this::token,
				(Object) hash(secret));
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Token token = found.get(0);
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		if (!token.expiresAt().isAfter(now)) {
			record(token.owner(), "expired", token.id());
			return Optional.empty();
		}
		this.jdbc.update("update " + this.table + " set last_used_at = ? where id = ?", Timestamp.from(now), token.id());
		record(token.owner(), "used", token.id());
		return Optional.of(token);
	}

	private void record(McpOwner owner, String outcome, UUID id) {
		this.audit.record(new AuditEvent(this.clock.instant(), owner, AuditEvent.Type.GATEWAY_TOKEN, null, null,
				outcome, null, null, "token " + id, null));
	}

	private static List<String> entries(List<String> values, String field) {
		List<String> entries = (values != null) ? values.stream().map(String::strip).toList() : List.of();
		if (entries.size() > MAX_ENTRIES || entries.stream().anyMatch((e) -> !ENTRY.matcher(e).matches())) {
			throw invalid(field + " must be at most " + MAX_ENTRIES + " non-empty names of at most 255 characters");
		}
		return entries;
	}

	private static McpConnectorException invalid(String detail) {
		return new McpConnectorException(McpConnectorErrorCode.INVALID_REQUEST, detail);
	}

	private Token token(ResultSet rs, int row) throws SQLException {
		Timestamp used = rs.getTimestamp("last_used_at");
		return new Token(rs.getObject("id", UUID.class), McpOwner.of(rs.getString("tenant_id"), rs.getString("owner_id")),
				rs.getString("name"), lines(rs.getString("connections")), lines(rs.getString("tool_globs")),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
				(used != null) ? used.toInstant() : null);
	}

	private static List<String> lines(String value) {
		return (value == null || value.isEmpty()) ? List.of() : Arrays.asList(value.split("\n"));
	}

	static byte[] hash(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Accepts a gateway token ({@code Authorization: Bearer mcpgw_...}) on the gateway's paths
	 * ({@code {base}/gateway/mcp} and {@code {base}/gateway/<connection>/mcp}) and nowhere else.
	 * Register it before Spring Security's filter chain: it puts the token's user into the
	 * request's security context (the request attribute Spring Security's default repository
	 * reads first) and hides the header from the host's own filters (a resource server would
	 * try to read it as its own token). An unknown, revoked or expired token gets 401; any other
	 * request passes on untouched, for the host's own authentication.
	 */
	public static final class BearerFilter extends OncePerRequestFilter {

		private final McpGatewayTokens tokens;

		private final String root;

		private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

		/**
		 * @param tokens the tokens
		 * @param endpoint the gateway's endpoint, e.g. {@code /api/mcp/gateway/mcp}
		 */
		public BearerFilter(McpGatewayTokens tokens, String endpoint) {
			Assert.notNull(tokens, "tokens cannot be null");
			Assert.isTrue(endpoint != null && endpoint.endsWith("/mcp"), "endpoint must end with /mcp");
			this.tokens = tokens;
			this.root = endpoint.substring(0, endpoint.length() - "/mcp".length());
		}

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			String path = request.getRequestURI().substring(request.getContextPath().length());
			return !path.equals(this.root + "/mcp") && McpGatewayServlet.connectionOf(path, this.root) == null;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String header = request.getHeader(HttpHeaders.AUTHORIZATION);
			String bearer = (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7))
					? header.substring(7).strip() : null;
			if (bearer == null || !bearer.startsWith(PREFIX)) {
				chain.doFilter(request, response);
				return;
			}
			Optional<Token> token = this.tokens.authenticate(bearer);
			if (token.isEmpty()) {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
						"Bearer error=\"invalid_token\", error_description=\"The gateway token is unknown or expired\"");
				McpGatewayServlet.problem(response, McpConnectorErrorCode.UNAUTHENTICATED,
						"The gateway token is unknown or expired");
				return;
			}
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(new GatewayTokenAuthentication(token.get()));
			SecurityContextHolder.setContext(context);
			this.repository.saveContext(context, request, response);
			try {
				chain.doFilter(new HttpServletRequestWrapper(request) {

					@Override
					public String getHeader(String name) {
						return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? null : super.getHeader(name);
					}

					@Override
					public Enumeration<String> getHeaders(String name) {
						return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? Collections.emptyEnumeration()
								: super.getHeaders(name);
					}

					@Override
					public Enumeration<String> getHeaderNames() {
						return Collections.enumeration(Collections.list(super.getHeaderNames())
							.stream()
							.filter((n) -> !HttpHeaders.AUTHORIZATION.equalsIgnoreCase(n))
							.toList());
					}

				}, response);
			}
			finally {
				SecurityContextHolder.clearContext();
			}
		}

	}

	/**
	 * A gateway token, without its secret.
	 *
	 * @param id its id
	 * @param owner whose it is
	 * @param name the user's label
	 * @param connections connection names it is limited to, empty for all
	 * @param toolGlobs tool globs it is limited to, empty for all
	 * @param createdAt when it was created
	 * @param expiresAt when it stops working
	 * @param lastUsedAt when the gateway last accepted it, or {@code null}
	 */
	public record Token(UUID id, McpOwner owner, String name, List<String> connections, List<String> toolGlobs,
			Instant createdAt, Instant expiresAt, Instant lastUsedAt) {

		public Token {
			connections = List.copyOf(connections);
			toolGlobs = List.copyOf(toolGlobs);
		}

		GatewayScope scope() {
			return new GatewayScope(null, java.util.Set.copyOf(this.connections), this.toolGlobs);
		}

	}

	/**
	 * A token just created, with its secret.
	 *
	 * @param token the token
	 * @param secret the bearer token to hand the platform; never stored, never shown again
	 */
	public record Issued(Token token, String secret) {

		@Override
		public String toString() {
			return "Issued[token=" + this.token + ", secret=(redacted)]";
		}

	}

}
