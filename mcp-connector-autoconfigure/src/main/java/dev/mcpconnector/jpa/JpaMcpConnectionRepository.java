package dev.mcpconnector.jpa;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.DpopKey;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.connection.StorageUnavailableException;
import dev.mcpconnector.crypto.SecretCipher;
import org.hibernate.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * {@link McpConnectionRepository} on JPA. Every query names the owner's tenant and principal;
 * tokens, and the remote account a connection is signed in as (personal data), are encrypted
 * with the {@link SecretCipher}, their associated data naming the column, the connection id and
 * the owner.
 */
class JpaMcpConnectionRepository implements McpConnectionRepository {

	static final String ACCESS_TOKEN = "mcp_connection_credentials.access_token";

	static final String REFRESH_TOKEN = "mcp_connection_credentials.refresh_token";

	static final String DPOP_KEY = "mcp_connection_credentials.dpop_key";

	static final String REMOTE_ACCOUNT = "mcp_connection.remote_account";

	private static final Logger logger = LoggerFactory.getLogger(JpaMcpConnectionRepository.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final EntityManager entityManager;

	private final TransactionTemplate transactions;

	private final TransactionTemplate readOnly;

	private final SecretCipher cipher;

	private final Clock clock;

	private final String claimForCheck;

	/**
	 * A repository.
	 * @param entityManagerFactory the entity manager factory of mcp-connector's entities
	 * @param transactionManager its transaction manager
	 * @param cipher encrypts tokens and remote accounts
	 * @param clock the clock of credential updates
	 * @param tables the schema of mcp-connector's tables
	 */
	public JpaMcpConnectionRepository(EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager, SecretCipher cipher, Clock clock,
			McpConnectorTables tables) {
		Assert.notNull(entityManagerFactory, "entityManagerFactory cannot be null");
		Assert.notNull(transactionManager, "transactionManager cannot be null");
		Assert.notNull(cipher, "cipher cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Assert.notNull(tables, "tables cannot be null");
		this.claimForCheck = "update " + tables.connection() + " set checked_at = ? where id in (select id from "
				+ tables.connection() + " where status in ('ACTIVE', 'UNREACHABLE')"
				+ " and (checked_at is null or checked_at < ?) order by checked_at nulls first limit ?"
				+ " for update skip locked) returning id, tenant_id, owner_id, created_at";
		this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		this.transactions = new GuardedTransactionTemplate(transactionManager);
		this.readOnly = new GuardedTransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
		this.cipher = cipher;
		this.clock = clock;
	}

	@Override
	public McpConnection insert(McpConnection connection) {
		Assert.notNull(connection, "connection cannot be null");
		return this.transactions.execute((status) -> {
			ConnectionEntity entity = new ConnectionEntity();
			entity.id = connection.id();
			entity.tenantId = connection.owner().tenantId();
			entity.ownerId = connection.owner().principal();
			copy(connection, entity);
			entity.createdAt = connection.createdAt();
			this.entityManager.persist(entity);
			this.entityManager.flush();
			return toConnection(entity);
		});
	}

	@Override
	public McpConnection update(McpConnection connection) {
		Assert.notNull(connection, "connection cannot be null");
		return this.transactions.execute((status) -> {
			ConnectionEntity entity = findEntity(connection.owner(), connection.id())
				.orElseThrow(McpConnectionRepository::connectionNotFound);
			if (entity.version != connection.version()) {
				throw McpConnectionRepository.concurrentlyModified(connection.id());
			}
			copy(connection, entity);
			this.entityManager.flush();
			return toConnection(entity);
		});
	}

	@Override
	public List<McpConnection> findAll(McpOwner owner) {
		Assert.notNull(owner, "owner cannot be null");
		return this.readOnly.execute((status) -> this.entityManager
			.createQuery("select c from McpConnectorConnection c where c.tenantId = :tenant and c.ownerId = :owner"
					+ " order by c.createdAt, c.id", ConnectionEntity.class)
			.setParameter("tenant", owner.tenantId())
			.setParameter("owner", owner.principal())
			.getResultList()
			.stream()
			.map(this::toConnection)
			.toList());
	}

	@Override
	public Optional<McpConnection> find(McpOwner owner, UUID id) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		return this.readOnly.execute((status) -> findEntity(owner, id).map(this::toConnection));
	}

	@Override
	public boolean delete(McpOwner owner, UUID id) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		Integer deleted = this.transactions.execute((status) -> this.entityManager
			.createQuery("delete from McpConnectorConnection c where c.id = :id and c.tenantId = :tenant"
					+ " and c.ownerId = :owner")
			.setParameter("id", id)
			.setParameter("tenant", owner.tenantId())
			.setParameter("owner", owner.principal())
			.executeUpdate());
		return deleted != null && deleted > 0;
	}

	@Override
	public void saveCredentials(McpOwner owner, UUID id, ConnectionCredentials credentials) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		Assert.notNull(credentials, "credentials cannot be null");
		this.transactions.executeWithoutResult((status) -> {
			if (findEntity(owner, id).isEmpty()) {
				throw McpConnectionRepository.connectionNotFound();
			}
			CredentialsEntity entity = this.entityManager.find(CredentialsEntity.class, id);
			boolean isNew = (entity == null);
			if (isNew) {
				entity = new CredentialsEntity();
				entity.connectionId = id;
			}
			entity.accessToken = encrypt(credentials.accessToken(), ACCESS_TOKEN, owner, id);
			entity.refreshToken = credentials.hasRefreshToken()
					? encrypt(credentials.refreshToken(), REFRESH_TOKEN, owner, id) : null;
			entity.dpopKey = (credentials.dpopKey() != null)
					? encrypt(credentials.dpopKey().toJson(), DPOP_KEY, owner, id) : null;
			entity.tokenType = credentials.tokenType();
			entity.expiresAt = credentials.expiresAt();
			entity.scopes = Scopes.join(credentials.scopes());
			entity.clientId = credentials.clientId();
			entity.updatedAt = this.clock.instant();
			if (isNew) {
				this.entityManager.persist(entity);
			}
		});
	}

	@Override
	public Optional<ConnectionCredentials> findCredentials(McpOwner owner, UUID id) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		List<CredentialsEntity> rows = this.readOnly.execute((status) -> this.entityManager
			.createQuery("select cr from McpConnectorCredentials cr, McpConnectorConnection c"
					+ " where cr.connectionId = c.id and c.id = :id and c.tenantId = :tenant and c.ownerId = :owner",
					CredentialsEntity.class)
			.setParameter("id", id)
			.setParameter("tenant", owner.tenantId())
			.setParameter("owner", owner.principal())
			.getResultList());
		if (rows == null || rows.isEmpty()) {
			return Optional.empty();
		}
		CredentialsEntity row = rows.get(0);
		String accessToken = decrypt(row.accessToken, ACCESS_TOKEN, owner, id);
		String refreshToken = (row.refreshToken != null) ? decrypt(row.refreshToken, REFRESH_TOKEN, owner, id) : null;
		DpopKey dpopKey = (row.dpopKey != null) ? DpopKey.parse(decrypt(row.dpopKey, DPOP_KEY, owner, id)) : null;
		return Optional.of(new ConnectionCredentials(accessToken, refreshToken, row.tokenType, row.expiresAt,
				Scopes.split(row.scopes), row.clientId, dpopKey));
	}

	@Override
	public void deleteCredentials(McpOwner owner, UUID id) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		this.transactions.executeWithoutResult((status) -> {
			if (findEntity(owner, id).isPresent()) {
				this.entityManager.createQuery("delete from McpConnectorCredentials cr where cr.connectionId = :id")
					.setParameter("id", id)
					.executeUpdate();
			}
		});
	}

	/**
	 * One statement claims the batch, in a transaction of its own: rows another instance holds
	 * are skipped ({@code for update skip locked}), so instances split the work. The claimed
	 * connections are then read one by one, each in its own transaction, so that a row that
	 * cannot be read (a secret under a retired key, a tampered row) is logged and skipped
	 * without undoing the claim of the others, and is not claimed again before its next turn.
	 * {@code checked_at} is not mapped, so that no entity update ever writes an old value back
	 * over a claim.
	 */
	@Override
	public List<McpConnection> claimForCheck(Instant checkedBefore, Instant now, int limit) {
		Assert.notNull(checkedBefore, "checkedBefore cannot be null");
		Assert.notNull(now, "now cannot be null");
		Assert.isTrue(limit > 0, "limit must be positive");
		List<Claim> claims = this.transactions.execute((status) -> this.entityManager.unwrap(Session.class)
			.doReturningWork((connection) -> {
				try (PreparedStatement claim = connection.prepareStatement(this.claimForCheck)) {
					claim.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
					claim.setObject(2, OffsetDateTime.ofInstant(checkedBefore, ZoneOffset.UTC));
					claim.setInt(3, limit);
					List<Claim> claimed = new ArrayList<>();
					try (ResultSet rows = claim.executeQuery()) {
						while (rows.next()) {
							claimed.add(new Claim(rows.getObject(1, UUID.class),
									McpOwner.of(rows.getString(2), rows.getString(3)),
									rows.getObject(4, OffsetDateTime.class).toInstant()));
						}
					}
					return claimed;
				}
			}));
		if (claims == null || claims.isEmpty()) {
			return List.of();
		}
		List<McpConnection> connections = new ArrayList<>(claims.size());
		claims.stream()
			.sorted(Comparator.comparing(Claim::createdAt).thenComparing(Claim::id))
			.forEach((claim) -> load(claim).ifPresent(connections::add));
		return connections;
	}

	private Optional<McpConnection> load(Claim claim) {
		try {
			return find(claim.owner(), claim.id());
		}
		catch (StorageUnavailableException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			logger.warn("Connection {} was claimed for its check but could not be read ({}); skipped", claim.id(),
					ex.getClass().getName());
			return Optional.empty();
		}
	}

	private record Claim(UUID id, McpOwner owner, Instant createdAt) {
	}

	private Optional<ConnectionEntity> findEntity(McpOwner owner, UUID id) {
		return this.entityManager
			.createQuery("select c from McpConnectorConnection c where c.id = :id and c.tenantId = :tenant"
					+ " and c.ownerId = :owner", ConnectionEntity.class)
			.setParameter("id", id)
			.setParameter("tenant", owner.tenantId())
			.setParameter("owner", owner.principal())
			.getResultStream()
			.findFirst();
	}

	private byte[] encrypt(String value, String column, McpOwner owner, UUID id) {
		return this.cipher.encrypt(value.getBytes(StandardCharsets.UTF_8), associatedData(column, owner, id));
	}

	private String decrypt(byte[] value, String column, McpOwner owner, UUID id) {
		return new String(this.cipher.decrypt(value, associatedData(column, owner, id)), StandardCharsets.UTF_8);
	}

	static byte[] associatedData(String column, McpOwner owner, UUID id) {
		return SecretCipher.associatedData(column, id.toString(), owner.tenantId(), owner.principal());
	}

	private byte[] encryptAccount(RemoteAccount account, McpOwner owner, UUID id) {
		if (account == null) {
			return null;
		}
		Map<String, String> claims = new LinkedHashMap<>();
		claims.put("sub", account.subject());
		claims.put("name", account.name());
		claims.put("preferred_username", account.preferredUsername());
		claims.put("email", account.email());
		return this.cipher.encrypt(json.writeValueAsBytes(claims), associatedData(REMOTE_ACCOUNT, owner, id));
	}

	private RemoteAccount decryptAccount(byte[] ciphertext, McpOwner owner, UUID id) {
		if (ciphertext == null) {
			return null;
		}
		JsonNode claims = json.readTree(this.cipher.decrypt(ciphertext, associatedData(REMOTE_ACCOUNT, owner, id)));
		return new RemoteAccount(text(claims, "sub"), text(claims, "name"), text(claims, "preferred_username"),
				text(claims, "email"));
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private void copy(McpConnection connection, ConnectionEntity entity) {
		entity.name = connection.name();
		entity.serverUrl = connection.serverUrl().toString();
		entity.resourceUri = connection.resourceUri().toString();
		entity.status = connection.status();
		entity.issuer = connection.issuer();
		entity.grantedScopes = Scopes.join(connection.grantedScopes());
		entity.requestedScopes = Scopes.join(connection.requestedScopes());
		entity.requestTimeoutMillis = (connection.requestTimeout() != null) ? connection.requestTimeout().toMillis() : null;
		entity.connectTimeoutMillis = (connection.limits().connectTimeout() != null)
				? connection.limits().connectTimeout().toMillis() : null;
		entity.maxResponseBytes = connection.limits().maxResponseBytes();
		entity.transport = connection.transport();
		entity.protocolVersion = connection.protocolVersion();
		entity.remoteAccount = encryptAccount(connection.remoteAccount(), connection.owner(), connection.id());
		entity.updatedAt = connection.updatedAt();
	}

	private McpConnection toConnection(ConnectionEntity entity) {
		McpOwner owner = McpOwner.of(entity.tenantId, entity.ownerId);
		return new McpConnection(entity.id, owner, entity.name,
				URI.create(entity.serverUrl), URI.create(entity.resourceUri), entity.status, entity.issuer,
				Scopes.split(entity.grantedScopes), Scopes.split(entity.requestedScopes),
				(entity.requestTimeoutMillis != null) ? java.time.Duration.ofMillis(entity.requestTimeoutMillis) : null,
				new dev.mcpconnector.connection.ConnectionLimits(
						(entity.connectTimeoutMillis != null) ? java.time.Duration.ofMillis(entity.connectTimeoutMillis) : null,
						entity.maxResponseBytes),
				(entity.transport != null) ? entity.transport : dev.mcpconnector.connection.McpTransport.STREAMABLE_HTTP,
				entity.protocolVersion,
				decryptAccount(entity.remoteAccount, owner, entity.id),
				entity.createdAt,
				entity.updatedAt, entity.version);
	}

}
