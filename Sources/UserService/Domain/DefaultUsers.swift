import CampusKit

/// The accounts docs/contract.md §3 seeds on first start when `SEED_DEFAULT_USERS` is true.
public enum DefaultUsers {
    public struct Account: Sendable {
        public let email: String
        public let name: String
        public let password: String
        public let role: Role
        /// bcrypt of `password` at ``publishedHashCost``, made once when the account was written
        /// here. The password is published in the README, so its hash tells nobody anything new,
        /// and a first start need not spend four hashes (~1.4 s of CPU at cost 12) before it is ready.
        public let publishedHash: String
    }

    /// The bcrypt cost of every ``Account/publishedHash``: the default `BCRYPT_COST`. With another
    /// cost configured, the seeder hashes the passwords at that cost instead.
    public static let publishedHashCost = 12

    public static let accounts: [Account] = [
        Account(
            email: "admin@example.com", name: "Campus Admin", password: "admin123", role: .admin,
            publishedHash: "$2b$12$m5JSiw4NPO.sMobdH.tU1e4j0QEF8eTrii6P68KDZK.O.ksExSU0e"),
        Account(
            email: "faculty@example.com", name: "Dr. Fiona Faculty", password: "faculty123", role: .faculty,
            publishedHash: "$2b$12$9DVckCsUT50c3hVIt.vXv.T3tWfgqfWwcvFOJkAjep97VksaOxMXq"),
        Account(
            email: "student@example.com", name: "Sam Student", password: "student123", role: .student,
            publishedHash: "$2b$12$VNZU2ydrZFBvDZeJuXOXP.s/tb1AN6CTTmkUdIjq4ms3Fm3mZJdAC"),
        Account(
            email: "tech@example.com", name: "Terry Technician", password: "tech123", role: .technician,
            publishedHash: "$2b$12$n9ClDyinPm4//ZfNv/yZqedScHH/qqZoePi.A7Mka6MmINE49pmdy"),
    ]
}
