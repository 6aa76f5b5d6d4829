-- The yardstick for benches/postgres.rs: the question analysis over every finished attempt,
-- written by hand and run by psql. For each question: how many answered, the share of the points
-- earned in all and among each quiz's top and bottom 27% of attempts (quizzes with at least 10),
-- and the most common wrong answer.
WITH counted AS (
    SELECT seq, quiz,
           row_number() OVER (PARTITION BY quiz ORDER BY percent, seq) AS rank,
           count(*) OVER (PARTITION BY quiz) AS n
    FROM attempts
    WHERE finished IS NOT NULL AND percent IS NOT NULL
), banded AS (
    SELECT seq, quiz,
           CASE WHEN n < 10 THEN 0
                WHEN rank <= round(n * 0.27) THEN -1
                WHEN rank > n - round(n * 0.27) THEN 1
                ELSE 0 END AS band
    FROM counted
)
SELECT b.quiz, a.question, count(*), sum(a.share),
       sum(a.share) FILTER (WHERE b.band = 1), count(*) FILTER (WHERE b.band = 1),
       sum(a.share) FILTER (WHERE b.band = -1), count(*) FILTER (WHERE b.band = -1)
FROM banded b JOIN answers a ON a.attempt = b.seq
GROUP BY b.quiz, a.question;

WITH finished AS (
    SELECT seq, quiz FROM attempts WHERE finished IS NOT NULL AND percent IS NOT NULL
)
SELECT DISTINCT ON (f.quiz, a.question) f.quiz, a.question, a.wrong, count(*) AS c
FROM finished f JOIN answers a ON a.attempt = f.seq
WHERE a.wrong IS NOT NULL
GROUP BY f.quiz, a.question, a.wrong
ORDER BY f.quiz, a.question, c DESC, a.wrong COLLATE "C";
