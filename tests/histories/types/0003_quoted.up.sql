-- Quoted mixed-case identifiers (Prisma style) keep their case; unquoted
-- ones fold to lower case.
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE "UserAccount" (
    "Id" serial PRIMARY KEY,
    "emailAddress" text NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "roles" "Role"[],
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "Select" int
);
CREATE UNIQUE INDEX "UserAccount_emailAddress_key" ON "UserAccount"("emailAddress");
CREATE INDEX ON "UserAccount" ("createdAt");
CREATE TABLE Widget (ID int, "ID" int, MixedCase text);
ALTER TABLE WIDGET ADD CONSTRAINT "Widget_PK" PRIMARY KEY (Id);
ALTER TYPE "Role" ADD VALUE 'OWNER' BEFORE 'ADMIN';
ALTER TABLE "UserAccount" ADD CONSTRAINT "UserAccount_widget_fkey" FOREIGN KEY ("Select") REFERENCES widget (id);
