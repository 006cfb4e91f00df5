-- AlterEnum
ALTER TYPE "Platform" ADD VALUE 'BLOG';
