-- atlas:txmode none
ALTER TYPE mood ADD VALUE 'happy';
UPDATE users SET m = 'happy' WHERE m = 'ok';
