package dev.mcpconnector.jpa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.crypto.SecretCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Re-encrypts every stored secret under the active key, in small batches, while the
 * application keeps serving: each batch locks its rows ({@code for update skip locked}), so a
 * concurrent write waits for the batch and then writes its own values on top, and several
 * instances share the work without doing a row twice. Resumable: it only ever looks for rows
 * not yet under the active key. Works on the ciphertext format of
 * {@link dev.mcpconnector.crypto.AesGcmSecretCipher} (version byte, key id length, key id).
 */
public class JpaKeyRotation {

	private static final Logger logger = LoggerFactory.getLogger(JpaKeyRotation.class);

	/** The key id of a format-1 ciphertext column, as SQL. */
	private static final String KEY_ID = "convert_from(substring(%1$s from 3 for get_byte(%1$s, 1)), 'UTF8')";

	private final EntityManager entityManager;

	private final TransactionTemplate transactions;

	private final SecretCipher cipher;

	private final String activeKeyId;

	private final McpConnectorTables tables;

	/**
	 * A key rotation.
	 * @param entityManagerFactory the entity manager factory of mcp-connector's entities
	 * @param transactionManager its transaction manager
	 * @param cipher the cipher, whose active key the secrets are re-encrypted under
	 * @param activeKeyId the id of that key
	 * @param tables the schema of mcp-connector's tables
	 */
	public JpaKeyRotation(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager,
			SecretCipher cipher, String activeKeyId, McpConnectorTables tables) {
		Assert.notNull(entityManagerFactory, "entityManagerFactory cannot be null");
		Assert.notNull(tables, "tables cannot be null");
		this.tables = tables;
		Assert.notNull(cipher, "cipher cannot be null");
		Assert.hasText(activeKeyId, "activeKeyId cannot be empty");
		this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		this.transactions = new GuardedTransactionTemplate(transactionManager);
		this.cipher = cipher;
		this.activeKeyId = activeKeyId;
	}

	/**
	 * Re-encrypt everything not yet under the active key.
	 * @param batchSize rows per transaction
	 * @return how many rows were rewritten
	 */
	public long rotateAll(int batchSize) {
		long total = 0;
		int done;
		do {
			done = rotateBatch(batchSize);
			total += done;
		}
		while (done > 0);
		logger.info("Re-encrypted {} stored secret row(s) under key '{}'", total, this.activeKeyId);
		return total;
	}

	/**
	 * Re-encrypt one batch of each table.
	 * @param batchSize rows per table
	 * @return how many rows were rewritten
	 */
	public int rotateBatch(int batchSize) {
		Integer credentials = this.transactions.execute((status) -> rotateCredentials(batchSize));
		Integer registrations = this.transactions.execute((status) -> rotateRegistrations(batchSize));
		Integer pending = this.transactions.execute((status) -> rotatePending(batchSize));
		Integer accounts = this.transactions.execute((status) -> rotateRemoteAccounts(batchSize));
		return credentials + registrations + pending + accounts;
	}

	/**
	 * How many stored secrets each key encrypts.
	 * @return key id to number of ciphertexts
	 */
	public Map<String, Long> ciphertextsPerKey() {
		return this.transactions.execute((status) -> {
			Map<String, Long> counts = new LinkedHashMap<>();
			McpConnectorTables t = this.tables;
			for (String column : List.of("access_token from " + t.credentials(),
					"refresh_token from " + t.credentials() + " where refresh_token is not null",
					"dpop_key from " + t.credentials() + " where dpop_key is not null",
					"client_secret from " + t.clientRegistration() + " where client_secret is not null",
					"code_verifier from " + t.pendingAuthorization(),
					"remote_account from " + t.connection() + " where remote_account is not null")) {
				String name = column.substring(0, column.indexOf(' '));
				String rest = column.substring(column.indexOf(' '));
				List<?> rows = this.entityManager
					.createNativeQuery("select " + KEY_ID.formatted(name) + ", count(*) " + rest + " group by 1")
					.getResultList();
				for (Object row : rows) {
					Object[] values = (Object[]) row;
					counts.merge((String) values[0], ((Number) values[1]).longValue(), Long::sum);
				}
			}
			return counts;
		});
	}

	/**
	 * Refuse to retire a key that still encrypts a stored secret.
	 * @param keyId the key to retire
	 * @throws McpConnectorException {@code key-still-in-use} when it does
	 */
	public void checkRetirable(String keyId) {
		long rows = ciphertextsPerKey().getOrDefault(keyId, 0L);
		if (rows > 0) {
			throw new McpConnectorException(McpConnectorErrorCode.KEY_STILL_IN_USE,
					"Key '" + keyId + "' still encrypts " + rows + " stored secret(s); rotate first");
		}
	}

	/**
	 * Lock up to a batch of rows not yet under the active key (rows another instance holds are
	 * skipped). The query takes the active key id as {@code ?1} and the batch size as {@code ?2}.
	 */
	private List<?> lockBatch(String sql, int batchSize) {
		return this.entityManager.createNativeQuery(sql)
			.setParameter(1, this.activeKeyId)
			.setParameter(2, batchSize)
			.getResultList();
	}

	/** The owner of a row whose second and third columns are its tenant and owner ids. */
	private static McpOwner ownerOf(Object[] values) {
		return McpOwner.of((String) values[1], (String) values[2]);
	}

	private int rotateCredentials(int batchSize) {
		List<?> rows = lockBatch("select cast(cr.connection_id as varchar), c.tenant_id, c.owner_id from "
				+ this.tables.credentials() + " cr join " + this.tables.connection() + " c on c.id = cr.connection_id"
				+ " where " + KEY_ID.formatted("cr.access_token") + " <> ?1 or (cr.refresh_token is not null and "
				+ KEY_ID.formatted("cr.refresh_token") + " <> ?1) or (cr.dpop_key is not null and "
				+ KEY_ID.formatted("cr.dpop_key") + " <> ?1) limit ?2 for update of cr skip locked", batchSize);
		for (Object row : rows) {
			Object[] values = (Object[]) row;
			UUID id = UUID.fromString((String) values[0]);
			McpOwner owner = ownerOf(values);
			CredentialsEntity entity = this.entityManager.find(CredentialsEntity.class, id);
			entity.accessToken = reencrypt(entity.accessToken,
					JpaMcpConnectionRepository.associatedData(JpaMcpConnectionRepository.ACCESS_TOKEN, owner, id));
			if (entity.refreshToken != null) {
				entity.refreshToken = reencrypt(entity.refreshToken,
						JpaMcpConnectionRepository.associatedData(JpaMcpConnectionRepository.REFRESH_TOKEN, owner, id));
			}
			if (entity.dpopKey != null) {
				entity.dpopKey = reencrypt(entity.dpopKey,
						JpaMcpConnectionRepository.associatedData(JpaMcpConnectionRepository.DPOP_KEY, owner, id));
			}
		}
		this.entityManager.flush();
		return rows.size();
	}

	private int rotateRegistrations(int batchSize) {
		List<?> issuers = lockBatch("select issuer from " + this.tables.clientRegistration()
				+ " where client_secret is not null and " + KEY_ID.formatted("client_secret")
				+ " <> ?1 limit ?2 for update skip locked", batchSize);
		for (Object issuer : issuers) {
			ClientRegistrationEntity entity = this.entityManager.find(ClientRegistrationEntity.class, issuer);
			entity.clientSecret = reencrypt(entity.clientSecret,
					SecretCipher.associatedData(JpaClientRegistrationStore.CLIENT_SECRET, entity.issuer));
		}
		this.entityManager.flush();
		return issuers.size();
	}

	private int rotatePending(int batchSize) {
		List<?> hashes = lockBatch("select state_hash from " + this.tables.pendingAuthorization() + " where "
				+ KEY_ID.formatted("code_verifier") + " <> ?1 limit ?2 for update skip locked", batchSize);
		for (Object hash : hashes) {
			PendingAuthorizationEntity entity = this.entityManager.find(PendingAuthorizationEntity.class, hash);
			entity.codeVerifier = reencrypt(entity.codeVerifier,
					SecretCipher.associatedData(JpaPendingAuthorizationStore.CODE_VERIFIER, entity.stateHash, entity.tenantId,
							entity.ownerId, entity.connectionId.toString()));
		}
		this.entityManager.flush();
		return hashes.size();
	}

	/**
	 * The remote account of a connection: rewritten with a plain update that leaves the row's
	 * version alone, so that rotation never makes a concurrent connection update fail.
	 */
	private int rotateRemoteAccounts(int batchSize) {
		List<?> rows = lockBatch("select cast(id as varchar), tenant_id, owner_id, remote_account from "
				+ this.tables.connection() + " where remote_account is not null and "
				+ KEY_ID.formatted("remote_account") + " <> ?1 limit ?2 for update skip locked", batchSize);
		for (Object row : rows) {
			Object[] values = (Object[]) row;
			UUID id = UUID.fromString((String) values[0]);
			McpOwner owner = ownerOf(values);
			byte[] rotated = reencrypt((byte[]) values[3],
					JpaMcpConnectionRepository.associatedData(JpaMcpConnectionRepository.REMOTE_ACCOUNT, owner, id));
			this.entityManager
				.createNativeQuery("update " + this.tables.connection() + " set remote_account = ?1 where id = ?2")
				.setParameter(1, rotated)
				.setParameter(2, id)
				.executeUpdate();
		}
		return rows.size();
	}

	private byte[] reencrypt(byte[] ciphertext, byte[] associatedData) {
		byte[] plaintext = this.cipher.decrypt(ciphertext, associatedData);
		try {
			return this.cipher.encrypt(plaintext, associatedData);
		}
		finally {
			java.util.Arrays.fill(plaintext, (byte) 0);
		}
	}

}
