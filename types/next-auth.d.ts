import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    userId: string;
    orgId?: string;
    /** When this session signed in (ms since the epoch); a password changed later signs it out. */
    signedInAt?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    orgId?: string;
    signedInAt?: number;
  }
}
